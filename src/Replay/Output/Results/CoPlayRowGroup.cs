using ListeningTogether.Abstractions;
using ParquetSharp;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// One row group of result rows held column by column: each co-play is split into its columns as it is added, in
/// one pass over its fields (column-by-column passes over a row group's co-plays missed the cache on every row, once
/// per column). Strings are UTF-8 <see cref="ByteArray"/> values in pinned memory: track ids in an arena emptied
/// with the row group, places' values from <see cref="PlaceTextCache"/>. The columns grow with the rows up to the
/// capacity, so a writer of a few rows (the streaming results sink rewrites a minute file per window) stays small.
/// </summary>
internal sealed class CoPlayRowGroup
{
    private const int InitialRows = 1024;

    private readonly PlaceColumns _a = new(InitialRows);
    private readonly PlaceColumns _b = new(InitialRows);
    private long[] _windowStart = new long[InitialRows];
    private ByteArray[] _trackId = new ByteArray[InitialRows];
    private long[] _plays = new long[InitialRows];
    private long[] _locations = new long[InitialRows];
    private double[] _distanceKm = new double[InitialRows];
    private readonly PinnedUtf8Arena _trackIds = new();
    private readonly PlaceTextCache _placeText = new();

    public CoPlayRowGroup(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most rows the group takes.</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    public void Add(CoPlay coPlay) => Add(coPlay, CoPlayPlaces.None);

    /// <summary>Adds a co-play whose places have the given ids (see <see cref="PlaceTextCache"/>).</summary>
    public void Add(CoPlay coPlay, CoPlayPlaces places)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The row group is full ({Capacity} rows): write it first.");
        }

        if (Count == _windowStart.Length)
        {
            Grow(Math.Min(Capacity, Count * 2));
        }

        int row = Count++;
        _windowStart[row] = coPlay.WindowStartMs;
        _trackId[row] = _trackIds.Add(coPlay.TrackId);
        _plays[row] = coPlay.Plays;
        _locations[row] = coPlay.Locations;
        _a.Add(row, _placeText.Of(places.A, coPlay.A));
        _b.Add(row, _placeText.Of(places.B, coPlay.B));
        _distanceKm[row] = coPlay.DistanceKm;
    }

    /// <summary>Writes the rows as a row group, in the schema's column order, and empties this one.</summary>
    public void WriteTo(ParquetFileWriter writer)
    {
        using (RowGroupWriter group = writer.AppendRowGroup())
        {
            Write(group, _windowStart.AsSpan(0, Count));
            using (var trackIds = (ColumnWriter<ByteArray>)group.NextColumn())
            {
                trackIds.WriteBatch(_trackId.AsSpan(0, Count));
            }

            Write(group, _plays.AsSpan(0, Count));
            Write(group, _locations.AsSpan(0, Count));
            _a.WriteTo(group, Count);
            _b.WriteTo(group, Count);
            Write(group, _distanceKm.AsSpan(0, Count));
        }

        Clear();
    }

    /// <summary>Empties the group (its rows written, or given up after a failure), keeping its columns and arenas for the next rows.</summary>
    public void Clear()
    {
        Count = 0;
        _a.Clear();
        _b.Clear();
        _trackIds.Reset();
        _placeText.ForgetIfLarge();
    }

    private void Grow(int rows)
    {
        Array.Resize(ref _windowStart, rows);
        Array.Resize(ref _trackId, rows);
        Array.Resize(ref _plays, rows);
        Array.Resize(ref _locations, rows);
        Array.Resize(ref _distanceKm, rows);
        _a.Grow(rows);
        _b.Grow(rows);
    }

    private static void Write<T>(RowGroupWriter group, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(values);
    }

    /// <summary>The five columns of one side's places.</summary>
    private sealed class PlaceColumns(int rows)
    {
        private readonly OptionalStrings _city = new(rows);
        private readonly OptionalStrings _country = new(rows);
        private long[] _geonameId = new long[rows];
        private double[] _lat = new double[rows];
        private double[] _lon = new double[rows];

        public void Grow(int rows)
        {
            Array.Resize(ref _geonameId, rows);
            _city.Grow(rows);
            _country.Grow(rows);
            Array.Resize(ref _lat, rows);
            Array.Resize(ref _lon, rows);
        }

        public void Add(int row, PlaceText place)
        {
            _geonameId[row] = place.GeonameId;
            _city.Add(row, place.City);
            _country.Add(row, place.Country);
            _lat[row] = place.Lat;
            _lon[row] = place.Lon;
        }

        public void WriteTo(RowGroupWriter group, int rows)
        {
            Write(group, _geonameId.AsSpan(0, rows));
            _city.WriteTo(group, rows);
            _country.WriteTo(group, rows);
            Write(group, _lat.AsSpan(0, rows));
            Write(group, _lon.AsSpan(0, rows));
        }

        public void Clear()
        {
            _city.Clear();
            _country.Clear();
        }
    }

    /// <summary>An optional string column: definition level 1 and a value for a name, 0 and no value for null.</summary>
    private sealed class OptionalStrings(int rows)
    {
        private short[] _definitionLevels = new short[rows];
        private ByteArray[] _values = new ByteArray[rows];
        private int _count;

        public void Grow(int rows)
        {
            Array.Resize(ref _definitionLevels, rows);
            Array.Resize(ref _values, rows);
        }

        public void Add(int row, ByteArray? value)
        {
            if (value is ByteArray present)
            {
                _definitionLevels[row] = 1;
                _values[_count++] = present;
            }
            else
            {
                _definitionLevels[row] = 0;
            }
        }

        public void WriteTo(RowGroupWriter group, int rows)
        {
            using var column = (ColumnWriter<ByteArray>)group.NextColumn();
            column.WriteBatch(rows, _definitionLevels.AsSpan(0, rows), default, _values.AsSpan(0, _count));
        }

        public void Clear() => _count = 0;
    }
}
