using ListeningTogether.Replay.Input;
using ParquetSharp;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// One Parquet play file, open for reading row groups: only the columns replay uses (<c>event_id</c>,
/// <c>track_id</c>, <c>ip</c>, <c>played_at</c>, <c>private_session</c>); every other column (<c>user_id</c>,
/// <c>received_at</c>, ...) is never read. Strings stay UTF-8 bytes and timestamps integers: no object per value.
/// A file that is not Parquet, or lacks a required column, fails with an <see cref="InputFileException"/> naming
/// it. Not thread-safe: one per worker.
/// </summary>
internal sealed class ParquetPlayFile : IDisposable
{
    private const int BatchRows = 4096;

    private readonly ParquetFileReader _reader;
    private readonly PlayColumn _eventId;
    private readonly PlayColumn _trackId;
    private readonly PlayColumn? _ip;
    private readonly PlayColumn _playedAt;
    private readonly PlayColumn? _privateSession;
    private readonly ReadBuffers _buffers = new();

    private ParquetPlayFile(string path, ParquetFileReader reader)
    {
        Path = path;
        _reader = reader;
        SchemaDescriptor schema = reader.FileMetaData.Schema;
        _eventId = Required(path, schema, "event_id", IsString, "a string");
        _trackId = Required(path, schema, "track_id", IsString, "a string");
        _ip = Optional(path, schema, "ip", IsString, "a string");
        _playedAt = Required(path, schema, "played_at", IsTimestamp, "a timestamp");
        _privateSession = Optional(path, schema, "private_session", c => c.PhysicalType == PhysicalType.Boolean, "a boolean");
        FileMetaData metadata = reader.FileMetaData;
        RowGroupRows = [.. Enumerable.Range(0, metadata.NumRowGroups).Select(g => RowGroupRowCount(reader, g))];
    }

    public string Path { get; }

    /// <summary>The number of rows of each row group, in file order.</summary>
    public IReadOnlyList<long> RowGroupRows { get; }

    public static ParquetPlayFile Open(string path)
    {
        ParquetFileReader? reader = null;
        try
        {
            reader = new ParquetFileReader(path);
            return new ParquetPlayFile(path, reader);
        }
        catch (Exception e)
        {
            reader?.Dispose();
            throw e as InputFileException ?? new InputFileException(path, $"'{path}' is not a readable Parquet play file: {e.Message}", e);
        }
    }

    /// <summary>Reads row group <paramref name="index"/> into <paramref name="columns"/> (absent optional columns as nulls).</summary>
    public void ReadRowGroup(int index, ParquetPlayColumns columns)
    {
        try
        {
            using RowGroupReader group = _reader.RowGroup(index);
            long declared = group.MetaData.NumRows;
            CheckDeclaredValues(group, index, declared);
            int rows = checked((int)declared);
            columns.Reset(rows);
            ReadStrings(group, _eventId, columns.EventIds, rows);
            ReadStrings(group, _trackId, columns.TrackIds, rows);
            ReadTimestamps(group, _playedAt, columns.PlayedAtTicks, rows);
            if (_ip is { } ip)
            {
                ReadStrings(group, ip, columns.Ips, rows);
            }

            if (_privateSession is { } privateSession)
            {
                ReadBooleans(group, privateSession, columns.PrivateSession, rows);
            }
        }
        catch (Exception e) when (e is not InputFileException)
        {
            throw new InputFileException(Path, $"'{Path}': row group {index} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The range of played_at (epoch milliseconds, floored) that row group <paramref name="index"/>'s statistics
    /// declare, or null when it has none usable (no statistics, INT96, a value too far out to count in ticks).
    /// </summary>
    public (long FromMs, long ToMs)? PlayedAtRange(int index)
    {
        if (_playedAt.Unit is TimestampUnit.Int96)
        {
            return null;
        }

        using RowGroupReader group = _reader.RowGroup(index);
        using ColumnChunkMetaData chunk = group.MetaData.GetColumnChunkMetaData(_playedAt.Index);
        if (!chunk.IsStatsSet || chunk.Statistics is not Statistics<long> { HasMinMax: true } statistics)
        {
            return null;
        }

        using (statistics)
        {
            long from = TimestampTicks.FromInt64(statistics.Min, _playedAt.Unit);
            long to = TimestampTicks.FromInt64(statistics.Max, _playedAt.Unit);
            return from == ParquetPlayColumns.FarPlayedAt || to == ParquetPlayColumns.FarPlayedAt || from > to
                ? null
                : (TimestampTicks.ToEpochMillis(from), TimestampTicks.ToEpochMillis(to));
        }
    }

    public void Dispose() => _reader.Dispose();

    private void ReadStrings(RowGroupReader group, PlayColumn column, Utf8Column into, int rows)
    {
        using var reader = (ColumnReader<ByteArray>)group.Column(column.Index);
        ByteArray[] values = _buffers.ByteArrays;
        int row = 0;
        while (reader.HasNext)
        {
            int levels = ReadBatch(reader, column, values, row, rows);
            for (int i = 0, v = 0; i < levels; i++, row++)
            {
                if (column.IsPresent(_buffers.Definitions[i]))
                {
                    into.Set(row, values[v].Pointer, values[v].Length);
                    v++;
                }
            }
        }

        CheckRows(column, row, rows);
    }

    private void ReadTimestamps(RowGroupReader group, PlayColumn column, long[] ticks, int rows)
    {
        int row = 0;
        if (column.Unit is TimestampUnit.Int96)
        {
            using var reader = (ColumnReader<Int96>)group.Column(column.Index);
            Int96[] values = _buffers.Int96s;
            while (reader.HasNext)
            {
                int levels = ReadBatch(reader, column, values, row, rows);
                for (int i = 0, v = 0; i < levels; i++, row++)
                {
                    if (column.IsPresent(_buffers.Definitions[i]))
                    {
                        ticks[row] = TimestampTicks.FromInt96(values[v++]);
                    }
                }
            }
        }
        else
        {
            using var reader = (ColumnReader<long>)group.Column(column.Index);
            long[] values = _buffers.Longs;
            while (reader.HasNext)
            {
                int levels = ReadBatch(reader, column, values, row, rows);
                for (int i = 0, v = 0; i < levels; i++, row++)
                {
                    if (column.IsPresent(_buffers.Definitions[i]))
                    {
                        ticks[row] = TimestampTicks.FromInt64(values[v++], column.Unit);
                    }
                }
            }
        }

        CheckRows(column, row, rows);
    }

    private void ReadBooleans(RowGroupReader group, PlayColumn column, bool?[] into, int rows)
    {
        using var reader = (ColumnReader<bool>)group.Column(column.Index);
        bool[] values = _buffers.Booleans;
        int row = 0;
        while (reader.HasNext)
        {
            int levels = ReadBatch(reader, column, values, row, rows);
            for (int i = 0, v = 0; i < levels; i++, row++)
            {
                if (column.IsPresent(_buffers.Definitions[i]))
                {
                    into[row] = values[v++];
                }
            }
        }

        CheckRows(column, row, rows);
    }

    /// <summary>
    /// Reads the next batch of a column (at most what is left of the row group); for a required column every level
    /// is a value, so the definition levels are set to present.
    /// </summary>
    private int ReadBatch<T>(ColumnReader<T> reader, PlayColumn column, T[] values, int row, int rows)
        where T : unmanaged
    {
        short[] definitions = _buffers.Definitions;
        long batch = Math.Min(BatchRows, Math.Max(1, rows - row));
        int levels = checked((int)reader.ReadBatch(batch, definitions, _buffers.Repetitions, values, out long _));
        if (row + levels > rows)
        {
            throw new InputFileException(Path, $"'{Path}': column '{column.Name}' has more values than its row group's {rows} rows.");
        }

        if (column.MaxDefinitionLevel == 0)
        {
            definitions.AsSpan(0, levels).Clear();
        }

        return levels;
    }

    /// <summary>
    /// Buffers are sized by the row count the footer declares, before any page is read: each column chunk read must
    /// declare as many values (a flat column counts its nulls), so a corrupt count is refused before it is allocated.
    /// </summary>
    private void CheckDeclaredValues(RowGroupReader group, int index, long rows)
    {
        foreach (PlayColumn? column in (ReadOnlySpan<PlayColumn?>)[_eventId, _trackId, _playedAt, _ip, _privateSession])
        {
            if (column is null)
            {
                continue;
            }

            using ColumnChunkMetaData chunk = group.MetaData.GetColumnChunkMetaData(column.Index);
            if (chunk.NumValues != rows)
            {
                throw new InputFileException(Path, $"'{Path}': row group {index} declares {rows} rows but column '{column.Name}' {chunk.NumValues} values.");
            }
        }
    }

    private void CheckRows(PlayColumn column, int read, int rows)
    {
        if (read != rows)
        {
            throw new InputFileException(Path, $"'{Path}': column '{column.Name}' has {read} values for a row group of {rows} rows.");
        }
    }

    private static long RowGroupRowCount(ParquetFileReader reader, int index)
    {
        using RowGroupReader group = reader.RowGroup(index);
        return group.MetaData.NumRows;
    }

    private static bool IsString(ColumnDescriptor column) =>
        column.PhysicalType == PhysicalType.ByteArray && column.LogicalType is StringLogicalType;

    private static bool IsTimestamp(ColumnDescriptor column) =>
        column.PhysicalType == PhysicalType.Int96
        || (column.PhysicalType == PhysicalType.Int64 && column.LogicalType is TimestampLogicalType);

    private static PlayColumn Required(string path, SchemaDescriptor schema, string name, Func<ColumnDescriptor, bool> isExpected, string expected) =>
        Optional(path, schema, name, isExpected, expected)
        ?? throw new InputFileException(path, $"'{path}' has no column '{name}' ({expected}).");

    private static PlayColumn? Optional(string path, SchemaDescriptor schema, string name, Func<ColumnDescriptor, bool> isExpected, string expected)
    {
        for (int i = 0; i < schema.NumColumns; i++)
        {
            ColumnDescriptor column = schema.Column(i);
            string[] columnPath = column.Path.ToDotVector();
            if (columnPath[0] != name)
            {
                continue;
            }

            if (columnPath.Length > 1 || column.MaxRepetitionLevel > 0 || !isExpected(column))
            {
                throw new InputFileException(path, $"'{path}': column '{name}' must be {expected}.");
            }

            TimestampUnit unit = column switch
            {
                { PhysicalType: PhysicalType.Int96 } => TimestampUnit.Int96,
                { LogicalType: TimestampLogicalType { TimeUnit: TimeUnit.Millis } } => TimestampUnit.Millis,
                { LogicalType: TimestampLogicalType { TimeUnit: TimeUnit.Micros } } => TimestampUnit.Micros,
                { LogicalType: TimestampLogicalType { TimeUnit: TimeUnit.Nanos } } => TimestampUnit.Nanos,
                _ => TimestampUnit.None,
            };
            return new PlayColumn(name, i, column.MaxDefinitionLevel, unit);
        }

        return null;
    }

    /// <summary>A column replay reads: where it is, when a level means a value, and for played_at how it counts time.</summary>
    private sealed record PlayColumn(string Name, int Index, short MaxDefinitionLevel, TimestampUnit Unit)
    {
        public bool IsPresent(short definition) => definition == MaxDefinitionLevel;
    }

    /// <summary>Batch buffers shared by the columns of one file (columns are read one after the other).</summary>
    private sealed class ReadBuffers
    {
        public short[] Definitions { get; } = new short[BatchRows];

        public short[] Repetitions { get; } = new short[BatchRows];

        public ByteArray[] ByteArrays { get; } = new ByteArray[BatchRows];

        public long[] Longs { get; } = new long[BatchRows];

        public Int96[] Int96s { get; } = new Int96[BatchRows];

        public bool[] Booleans { get; } = new bool[BatchRows];
    }
}
