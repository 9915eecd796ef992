using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Writes DESIGN.md's Parquet archive columns: <c>event_id</c> and <c>track_id</c> strings, <c>ip</c> string
/// nullable, <c>played_at</c> timestamp (UTC, millis), <c>private_session</c> bool nullable and <c>received_at</c>
/// timestamp nullable; one row group per <see cref="WriteRowGroupAsync"/>. No user id column.
/// </summary>
internal sealed class ParquetPlayWriter : IAsyncDisposable
{
    /// <summary>Rows per row group: replay reads row groups in parallel, so a file has many of them.</summary>
    public const int RowGroupRows = 100_000;

    public static readonly DataField<string> EventId = new("event_id", false);
    public static readonly DataField<string> TrackId = new("track_id", false);
    public static readonly DataField<string> Ip = new("ip", true);
    public static readonly DateTimeDataField PlayedAt = new("played_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    public static readonly DataField<bool?> PrivateSession = new("private_session", true);
    public static readonly DateTimeDataField ReceivedAt = new("received_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    public static readonly ParquetSchema Schema = new(EventId, TrackId, Ip, PlayedAt, PrivateSession, ReceivedAt);

    private readonly ParquetWriter _writer;
    private bool _completed;

    private ParquetPlayWriter(ParquetWriter writer)
    {
        _writer = writer;
    }

    public static async Task<ParquetPlayWriter> CreateAsync(Stream output, CancellationToken cancellationToken) =>
        new(await ParquetWriter.CreateAsync(Schema, output, cancellationToken: cancellationToken).ConfigureAwait(false));

    public async Task WriteRowGroupAsync(ParquetPlayRows rows, CancellationToken cancellationToken)
    {
        int n = rows.Count;
        if (n == 0)
        {
            return;
        }

        using ParquetRowGroupWriter group = _writer.CreateRowGroup();
        await group.WriteAsync<ReadOnlyMemory<char>>(EventId, rows.EventIds.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<ReadOnlyMemory<char>>(TrackId, rows.TrackIds.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<ReadOnlyMemory<char>>(Ip, rows.Ips.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(PlayedAt, rows.PlayedAt.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<bool>(PrivateSession, rows.PrivateSession.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(ReceivedAt, rows.ReceivedAt.AsMemory(0, n), null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the footer; the stream then holds a complete file.</summary>
    public async Task CompleteAsync()
    {
        _completed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _completed ? ValueTask.CompletedTask : _writer.DisposeAsync();
}
