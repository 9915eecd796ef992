using ListeningTogether.Replay.Output.Results;
using ParquetSharp;
using ParquetSharp.Schema;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Writes DESIGN.md's Parquet archive columns with Parquet C++ (ParquetSharp): <c>event_id</c> and <c>track_id</c>
/// strings, <c>ip</c> string nullable, <c>played_at</c> timestamp (UTC, millis), <c>private_session</c> bool nullable
/// and <c>received_at</c> timestamp nullable; one row group per <see cref="WriteRowGroup"/>, Snappy, no dictionaries
/// (ids are nearly all distinct). No user id column. The values go from the rows' pinned buffers to the native
/// writer as they are: writing a row group allocates nothing on the managed heap.
/// </summary>
internal sealed class ParquetPlayWriter : IDisposable
{
    /// <summary>Rows per row group: replay reads row groups in parallel, so a file has many of them.</summary>
    public const int RowGroupRows = 100_000;

    private readonly FailureKeepingStream _output;
    private readonly ParquetFileWriter _writer;

    private ParquetPlayWriter(FailureKeepingStream output, ParquetFileWriter writer)
    {
        _output = output;
        _writer = writer;
    }

    /// <summary>A writer onto <paramref name="output"/>, which stays open (its owner closes it after <see cref="Complete"/>).</summary>
    public static ParquetPlayWriter Create(Stream output)
    {
        using GroupNode schema = Schema();
        using var builder = new WriterPropertiesBuilder();
        // A process that archives for days: the pool that gives unused native memory back (see ParquetMemory).
        using WriterProperties properties = builder.Compression(Compression.Snappy).DisableDictionary().MemoryPool(ParquetMemory.LongRunning).Build();
        var kept = new FailureKeepingStream(output);
        try
        {
            return new ParquetPlayWriter(kept, new ParquetFileWriter(kept, schema, properties, leaveOpen: true));
        }
        catch (ParquetException e)
        {
            kept.Rethrow(e);
            throw;
        }
    }

    /// <summary>Writes the rows as one row group; a failure of the output stream is thrown as the stream threw it.</summary>
    public void WriteRowGroup(ParquetPlayRows rows)
    {
        int n = rows.Count;
        if (n == 0)
        {
            return;
        }

        try
        {
            WriteColumns(rows, n);
        }
        catch (ParquetException e)
        {
            _output.Rethrow(e);
        }
    }

    /// <summary>Writes the footer; the stream then holds a complete file.</summary>
    public void Complete()
    {
        try
        {
            _writer.Close();
        }
        catch (ParquetException e)
        {
            _output.Rethrow(e);
        }
    }

    /// <summary>Releases the writer; before <see cref="Complete"/> (after a failure) the output is left without a footer.</summary>
    public void Dispose() => _writer.Dispose();

    private void WriteColumns(ParquetPlayRows rows, int n)
    {
        using RowGroupWriter group = _writer.AppendRowGroup();
        using (var eventIds = (ColumnWriter<ByteArray>)group.NextColumn())
        {
            eventIds.WriteBatch(rows.EventIds.AsSpan(0, n));
        }

        using (var trackIds = (ColumnWriter<ByteArray>)group.NextColumn())
        {
            trackIds.WriteBatch(rows.TrackIds.AsSpan(0, n));
        }

        using (var ips = (ColumnWriter<ByteArray>)group.NextColumn())
        {
            ips.WriteBatch(n, rows.IpLevels.AsSpan(0, n), default, rows.Ips.AsSpan(0, rows.IpCount));
        }

        using (var playedAt = (ColumnWriter<long>)group.NextColumn())
        {
            playedAt.WriteBatch(rows.PlayedAtMs.AsSpan(0, n));
        }

        using (var privateSession = (ColumnWriter<bool>)group.NextColumn())
        {
            privateSession.WriteBatch(n, rows.PrivateSessionLevels.AsSpan(0, n), default, rows.PrivateSession.AsSpan(0, n));
        }

        using (var receivedAt = (ColumnWriter<long>)group.NextColumn())
        {
            receivedAt.WriteBatch(n, rows.ReceivedAtLevels.AsSpan(0, n), default, rows.ReceivedAtMs.AsSpan(0, rows.ReceivedAtCount));
        }
    }

    private static GroupNode Schema()
    {
        Node[] fields =
        [
            Column("event_id", Repetition.Required, LogicalType.String(), PhysicalType.ByteArray),
            Column("track_id", Repetition.Required, LogicalType.String(), PhysicalType.ByteArray),
            Column("ip", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            Column("played_at", Repetition.Required, LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis), PhysicalType.Int64),
            Column("private_session", Repetition.Optional, LogicalType.None(), PhysicalType.Boolean),
            Column("received_at", Repetition.Optional, LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis), PhysicalType.Int64),
        ];
        try
        {
            return new GroupNode("schema", Repetition.Required, fields);
        }
        finally
        {
            foreach (Node field in fields)
            {
                field.Dispose();
            }
        }
    }

    private static PrimitiveNode Column(string name, Repetition repetition, LogicalType logicalType, PhysicalType physicalType)
    {
        using (logicalType)
        {
            return new PrimitiveNode(name, repetition, logicalType, physicalType);
        }
    }
}
