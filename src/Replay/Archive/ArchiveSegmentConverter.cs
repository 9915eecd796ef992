using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// What converting one segment gave: plays written, hour files, bytes of a torn tail that were dropped, and bytes of
/// damage that were skipped from <see cref="DamagedFrom"/> on (see <see cref="ArchiveSegmentReader"/>).
/// </summary>
internal sealed record SegmentConversion(long Plays, int Hours, long TornBytes, long DamagedBytes = 0, long? DamagedFrom = null)
{
    public bool IsDamaged => DamagedFrom is not null;

    /// <summary>Bytes that held no readable play: the damage and a torn tail.</summary>
    public long UnreadableBytes => DamagedBytes + TornBytes;
}

/// <summary>
/// Turns a closed write-ahead segment into Parquet files of the archive layout, one per UTC hour its plays fall
/// in, named after the segment (so a second conversion after a crash replaces, never duplicates). The segment is
/// left for the caller to delete once this returns.
/// </summary>
internal static class ArchiveSegmentConverter
{
    public static Task<SegmentConversion> ConvertAsync(string segmentPath, string root, CancellationToken cancellationToken) =>
        ConvertAsync(segmentPath, root, null, cancellationToken);

    /// <summary>As above, with the row buffers of the files taken from, and handed back to, <paramref name="rows"/>.</summary>
    public static async Task<SegmentConversion> ConvertAsync(string segmentPath, string root, ParquetPlayRowsPool? rows, CancellationToken cancellationToken)
    {
        await using ArchiveSegmentReader reader = ArchiveSegmentReader.Open(segmentPath);
        await using var output = new HourPartitionedPlayOutput(root, ArchiveSegment.ParquetFileName(segmentPath), rows);
        while (await reader.ReadBlockAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            if (AddRecords(block.Span, output))
            {
                await output.WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new SegmentConversion(output.Rows, output.Hours.Count(), reader.TornBytes, reader.DamagedBytes, reader.DamagedFrom);
    }

    private static bool AddRecords(ReadOnlySpan<byte> block, HourPartitionedPlayOutput output)
    {
        bool full = false;
        while (!block.IsEmpty)
        {
            if (!ArchiveRecord.TryRead(block, out ArchivedPlay play, out int length))
            {
                // The reader only hands out blocks of whole records.
                throw new InvalidDataException("A segment block holds a record that cannot be decoded.");
            }

            full |= output.Add(play);
            block = block[length..];
        }

        return full;
    }
}
