using ListeningTogether.Replay.Input;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// One Parquet play file, open for reading row groups: only the columns replay uses (<c>event_id</c>,
/// <c>track_id</c>, <c>ip</c>, <c>played_at</c>, <c>private_session</c>); every other column (<c>user_id</c>,
/// <c>received_at</c>, ...) is never read. A file that is not Parquet, or lacks a required column, fails with an
/// <see cref="InputFileException"/> naming it. Not thread-safe: one per worker.
/// </summary>
internal sealed class ParquetPlayFile : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField _eventId;
    private readonly DataField _trackId;
    private readonly DataField? _ip;
    private readonly DataField _playedAt;
    private readonly DataField? _privateSession;
    private readonly Dictionary<Type, Array> _required = [];

    private ParquetPlayFile(string path, Stream stream, ParquetReader reader)
    {
        Path = path;
        _stream = stream;
        _reader = reader;
        _eventId = Required(path, reader, "event_id", IsString, "a string");
        _trackId = Required(path, reader, "track_id", IsString, "a string");
        _ip = Optional(path, reader, "ip", IsString, "a string");
        _playedAt = Required(path, reader, "played_at", IsTimestamp, "a timestamp");
        _privateSession = Optional(path, reader, "private_session", f => f.ClrType == typeof(bool), "a boolean");
        RowGroupRows = [.. reader.RowGroups.Select(g => g.RowCount)];
    }

    public string Path { get; }

    /// <summary>The number of rows of each row group, in file order.</summary>
    public IReadOnlyList<long> RowGroupRows { get; }

    public static async Task<ParquetPlayFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        ParquetReader? reader = null;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ParquetPlayFile(path, stream, reader);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            throw e as InputFileException ?? new InputFileException(path, $"'{path}' is not a readable Parquet play file: {e.Message}", e);
        }
    }

    /// <summary>Reads row group <paramref name="index"/> into <paramref name="columns"/> (absent optional columns as nulls).</summary>
    public async Task ReadRowGroupAsync(int index, ParquetPlayColumns columns, CancellationToken cancellationToken)
    {
        try
        {
            using ParquetRowGroupReader group = _reader.OpenRowGroupReader(index);
            int rows = checked((int)group.RowCount);
            columns.Reset(rows);
            await ReadAsync(group, _eventId, columns.EventIds, rows, cancellationToken).ConfigureAwait(false);
            await ReadAsync(group, _trackId, columns.TrackIds, rows, cancellationToken).ConfigureAwait(false);
            await ReadAsync(group, _playedAt, columns.PlayedAt, rows, cancellationToken).ConfigureAwait(false);
            if (_ip is not null)
            {
                await ReadAsync(group, _ip, columns.Ips, rows, cancellationToken).ConfigureAwait(false);
            }

            if (_privateSession is not null)
            {
                await ReadAsync(group, _privateSession, columns.PrivateSession, rows, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InputFileException(Path, $"'{Path}': row group {index} cannot be read: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one column into nullable values. A required (not null) column is read as such and copied: Parquet.Net
    /// 6.1 reading a required column into nullable memory gives nulls at random, as it has no definition levels.
    /// </summary>
    private async Task ReadAsync<T>(ParquetRowGroupReader group, DataField field, T?[] values, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_required.TryGetValue(typeof(T), out Array? scratch) || scratch.Length < rows)
        {
            scratch = new T[rows];
            _required[typeof(T)] = scratch;
        }

        var required = (T[])scratch;
        await group.ReadAsync<T>(field, required.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < rows; i++)
        {
            values[i] = required[i];
        }
    }

    private static bool IsString(DataField field) =>
        field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string);

    private static bool IsTimestamp(DataField field) =>
        field is DateTimeDataField { DateTimeFormat: not DateTimeFormat.Date } && field.ClrType == typeof(DateTime);

    private static DataField Required(string path, ParquetReader reader, string name, Func<DataField, bool> isExpected, string expected) =>
        Optional(path, reader, name, isExpected, expected)
        ?? throw new InputFileException(path, $"'{path}' has no column '{name}' ({expected}).");

    private static DataField? Optional(string path, ParquetReader reader, string name, Func<DataField, bool> isExpected, string expected)
    {
        DataField? field = reader.Schema.Fields.OfType<DataField>().FirstOrDefault(f => f.Name == name);
        if (field is not null && (field.IsArray || !isExpected(field)))
        {
            throw new InputFileException(path, $"'{path}': column '{name}' must be {expected}.");
        }

        return field;
    }
}
