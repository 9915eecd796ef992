using ListeningTogether.Abstractions;
using ParquetSharp;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// One row group of result rows held column by column: each co-play is split into its columns as it is added, in
/// one pass over its fields (column-by-column passes over a row group's co-plays missed the cache on every row, once
/// per column). Strings are UTF-8 <see cref="ByteArray"/> values in pinned memory: track ids in an arena emptied
/// with the row group, place names from <see cref="PlaceTextCache"/>.
/// </summary>
internal sealed class CoPlayRowGroup
{
    private readonly long[] _windowStart;
    private readonly ByteArray[] _trackId;
    private readonly long[] _plays;
    private readonly long[] _locations;
    private readonly PlaceColumns _a;
    private readonly PlaceColumns _b;
    private readonly double[] _distanceKm;
    private readonly PinnedUtf8Arena _trackIds = new();
    private readonly PlaceTextCache _placeText = new();

    public CoPlayRowGroup(int capacity)
    {
        Capacity = capacity;
        _windowStart = new long[capacity];
        _trackId = new ByteArray[capacity];
        _plays = new long[capacity];
        _locations = new long[capacity];
        _a = new PlaceColumns(capacity);
        _b = new PlaceColumns(capacity);
        _distanceKm = new double[capacity];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public void Add(CoPlay coPlay)
    {
        int row = Count++;
        _windowStart[row] = coPlay.WindowStartMs;
        _trackId[row] = _trackIds.Add(coPlay.TrackId);
        _plays[row] = coPlay.Plays;
        _locations[row] = coPlay.Locations;
        _a.Add(row, coPlay.A, _placeText.Of(coPlay.A));
        _b.Add(row, coPlay.B, _placeText.Of(coPlay.B));
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

        Count = 0;
        _a.Clear();
        _b.Clear();
        _trackIds.Reset();
        _placeText.ForgetIfLarge();
    }

    private static void Write<T>(RowGroupWriter group, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(values);
    }

    /// <summary>The five columns of one side's places.</summary>
    private sealed class PlaceColumns(int capacity)
    {
        private readonly long[] _geonameId = new long[capacity];
        private readonly OptionalStrings _city = new(capacity);
        private readonly OptionalStrings _country = new(capacity);
        private readonly double[] _lat = new double[capacity];
        private readonly double[] _lon = new double[capacity];

        public void Add(int row, Location place, PlaceText text)
        {
            _geonameId[row] = place.GeonameId;
            _city.Add(row, text.City);
            _country.Add(row, text.Country);
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
    private sealed class OptionalStrings(int capacity)
    {
        private readonly short[] _definitionLevels = new short[capacity];
        private readonly ByteArray[] _values = new ByteArray[capacity];
        private int _count;

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
