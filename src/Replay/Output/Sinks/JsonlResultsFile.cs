using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// The file side of the JSONL results sink: a torn last line dropped, the rows indexed by (window start, track),
/// and compaction to one row per key, the latest, in the place where the key first appeared. Compaction writes a
/// temporary file beside the results, flushes it to disk and renames it over them, so a reader sees either file
/// whole. Lines that are not co-plays are kept as they are.
/// </summary>
internal static class JsonlResultsFile
{
    private delegate void LineHandler(long offset, ReadOnlySpan<byte> line);

    /// <summary>The temporary name compaction writes to; one left by a crash is incomplete and deleted at start.</summary>
    public static string TempPathOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".compacting");

    /// <summary>A crash can leave a last line without its end: it is not a whole row, so it goes.</summary>
    public static void DropTornLastLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        long end = file.Length;
        var one = new byte[1];
        while (end > 0)
        {
            file.Position = end - 1;
            file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            end--;
        }

        if (end < file.Length)
        {
            file.SetLength(end);
        }
    }

    /// <summary>Adds every co-play row of the file to <paramref name="rows"/>; returns how many rows a later row of the same key superseded.</summary>
    public static int Index(string path, Dictionary<(long WindowStartMs, string TrackId), ResultRow> rows)
    {
        int superseded = 0;
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        ForEachLine(file, (offset, line) =>
        {
            if (!CoPlayKey.TryRead(line, out var key))
            {
                return;
            }

            ref ResultRow row = ref CollectionsMarshal.GetValueRefOrAddDefault(rows, key, out bool exists);
            if (exists)
            {
                superseded++;
                row = row with { Offset = offset, Length = line.Length };
            }
            else
            {
                row = new ResultRow(offset, offset, line.Length);
            }
        });
        return superseded;
    }

    /// <summary>Rewrites the file with one row per key of <paramref name="rows"/> (its index of this very file): the latest, where the key first appeared.</summary>
    public static void Compact(string path, Dictionary<(long WindowStartMs, string TrackId), ResultRow> rows)
    {
        string temp = TempPathOf(path);
        using (SafeFileHandle source = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
        using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            byte[] latest = new byte[1024];
            ForEachLine(source, (offset, line) =>
            {
                if (!CoPlayKey.TryRead(line, out var key) || !rows.TryGetValue(key, out ResultRow row) || row.Offset == offset && row.FirstOffset == offset)
                {
                    // Not a co-play (kept as it is), or a key whose first row is still its latest.
                    target.Write(line);
                    return;
                }

                if (row.FirstOffset != offset)
                {
                    // A later row of its key: the key's latest row is already written where the key first appeared.
                    return;
                }

                if (latest.Length < row.Length)
                {
                    latest = new byte[row.Length];
                }

                ReadExactlyAt(source, latest.AsSpan(0, row.Length), row.Offset);
                target.Write(latest, 0, row.Length);
            });
            target.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Calls <paramref name="handle"/> with each line and its end, in file order; bytes after the last line end are ignored.</summary>
    private static void ForEachLine(SafeFileHandle file, LineHandler handle)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long bufferOffset = 0;
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = RandomAccess.Read(file, buffer.AsSpan(filled), bufferOffset + filled);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int start = 0;
                int end;
                while ((end = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) >= 0)
                {
                    handle(bufferOffset + start, buffer.AsSpan(start, end + 1));
                    start += end + 1;
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                bufferOffset += start;
                filled -= start;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadExactlyAt(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"The results file ended inside a row at offset {offset}.");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
