using ListeningTogether.Abstractions;
using ParquetSharp;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>Reads a result Parquet file written by <see cref="CoPlayParquetWriter"/> back into co-plays, in file order.</summary>
public static class CoPlayParquetReader
{
    /// <summary>Every row of <paramref name="path"/>; a file that is not a result file fails with an <see cref="InvalidDataException"/> naming it.</summary>
    public static Task<List<CoPlay>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // The long-running results sink reads its minute files with this: the pool of its writers (see ParquetMemory).
            using ReaderProperties properties = ReaderProperties.WithMemoryPool(ParquetMemory.LongRunning);
            using var reader = new ParquetFileReader(path, properties);
            var rows = new List<CoPlay>();
            for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using RowGroupReader group = reader.RowGroup(g);
                ReadRowGroup(group, reader.FileMetaData.Schema, rows);
            }

            return Task.FromResult(rows);
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not a readable co-play Parquet file: {e.Message}", e);
        }
    }

    /// <summary>The rows of the row groups <paramref name="groups"/> (ascending) of <paramref name="path"/>, in file order.</summary>
    public static List<CoPlay> ReadRowGroups(string path, IReadOnlyList<int> groups, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new ParquetFileReader(path);
            var rows = new List<CoPlay>();
            foreach (int g in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using RowGroupReader group = reader.RowGroup(g);
                ReadRowGroup(group, reader.FileMetaData.Schema, rows);
            }

            return rows;
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a readable co-play Parquet file: {e.Message}", e);
        }
    }

    private static void ReadRowGroup(RowGroupReader group, SchemaDescriptor schema, List<CoPlay> rows)
    {
        int n = checked((int)group.MetaData.NumRows);
        var windowStart = Read<DateTime>(group, schema, CoPlayParquetWriter.WindowStartColumn, n);
        var trackId = Read<string?>(group, schema, CoPlayParquetWriter.TrackIdColumn, n);
        var plays = Read<long>(group, schema, CoPlayParquetWriter.PlaysColumn, n);
        var locations = Read<long>(group, schema, CoPlayParquetWriter.LocationsColumn, n);
        var a = ReadPlaces(group, schema, "a", n);
        var b = ReadPlaces(group, schema, "b", n);
        var distance = Read<double>(group, schema, CoPlayParquetWriter.DistanceKmColumn, n);
        for (int i = 0; i < n; i++)
        {
            long windowStartMs = (long)(DateTime.SpecifyKind(windowStart[i], DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
            string track = trackId[i] ?? throw new InvalidDataException($"row {rows.Count} has no track_id.");
            rows.Add(new CoPlay(windowStartMs, track, plays[i], locations[i], a[i], b[i], distance[i]));
        }
    }

    private static Location[] ReadPlaces(RowGroupReader group, SchemaDescriptor schema, string prefix, int n)
    {
        var geonameId = Read<long>(group, schema, prefix + "_geoname_id", n);
        var city = Read<string?>(group, schema, prefix + "_city", n);
        var country = Read<string?>(group, schema, prefix + "_country", n);
        var lat = Read<double>(group, schema, prefix + "_lat", n);
        var lon = Read<double>(group, schema, prefix + "_lon", n);
        var places = new Location[n];
        for (int i = 0; i < n; i++)
        {
            places[i] = new Location(geonameId[i], city[i], country[i], lat[i], lon[i]);
        }

        return places;
    }

    /// <summary>A column's values in the row group, by name; a column of another type fails (and so does the file).</summary>
    private static T[] Read<T>(RowGroupReader group, SchemaDescriptor schema, string name, int n)
    {
        int index = schema.ColumnIndex(name);
        if (index < 0)
        {
            throw new InvalidDataException($"it has no column '{name}'.");
        }

        using ColumnReader column = group.Column(index);
        using LogicalColumnReader<T> values = column.LogicalReader<T>();
        return values.ReadAll(n);
    }
}
