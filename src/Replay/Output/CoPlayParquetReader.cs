using ListeningTogether.Abstractions;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Output;

/// <summary>Reads a result Parquet file written by <see cref="CoPlayParquetWriter"/> back into co-plays, in file order.</summary>
public static class CoPlayParquetReader
{
    /// <summary>Every row of <paramref name="path"/>; a file that is not a result file fails with an <see cref="InvalidDataException"/> naming it.</summary>
    public static async Task<List<CoPlay>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                ParquetReader reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
                    var rows = new List<CoPlay>();
                    for (int g = 0; g < reader.RowGroupCount; g++)
                    {
                        using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                        await ReadRowGroupAsync(group, fields, rows, cancellationToken).ConfigureAwait(false);
                    }

                    return rows;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
            {
                throw new InvalidDataException($"'{path}' is not a readable co-play Parquet file: {e.Message}", e);
            }
        }
    }

    private static async Task ReadRowGroupAsync(ParquetRowGroupReader group, Dictionary<string, DataField> fields, List<CoPlay> rows, CancellationToken cancellationToken)
    {
        int n = checked((int)group.RowCount);

        // Required columns are read into non-nullable memory: Parquet.Net 6.1 gives random nulls otherwise.
        var windowStart = await ReadAsync<DateTime>(group, fields, CoPlayParquetWriter.WindowStartColumn, n, cancellationToken).ConfigureAwait(false);
        var trackId = await ReadStringsAsync(group, fields, CoPlayParquetWriter.TrackIdColumn, n, cancellationToken).ConfigureAwait(false);
        var plays = await ReadAsync<long>(group, fields, CoPlayParquetWriter.PlaysColumn, n, cancellationToken).ConfigureAwait(false);
        var locations = await ReadAsync<long>(group, fields, CoPlayParquetWriter.LocationsColumn, n, cancellationToken).ConfigureAwait(false);
        var a = await ReadPlacesAsync(group, fields, "a", n, cancellationToken).ConfigureAwait(false);
        var b = await ReadPlacesAsync(group, fields, "b", n, cancellationToken).ConfigureAwait(false);
        var distance = await ReadAsync<double>(group, fields, CoPlayParquetWriter.DistanceKmColumn, n, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
        {
            long windowStartMs = (long)(DateTime.SpecifyKind(windowStart[i], DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
            string track = trackId[i] ?? throw new InvalidDataException($"row {rows.Count} has no track_id.");
            rows.Add(new CoPlay(windowStartMs, track, plays[i], locations[i], a[i], b[i], distance[i]));
        }
    }

    private static async Task<Location[]> ReadPlacesAsync(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string prefix, int n, CancellationToken cancellationToken)
    {
        var geonameId = await ReadAsync<long>(group, fields, prefix + "_geoname_id", n, cancellationToken).ConfigureAwait(false);
        var city = await ReadStringsAsync(group, fields, prefix + "_city", n, cancellationToken).ConfigureAwait(false);
        var country = await ReadStringsAsync(group, fields, prefix + "_country", n, cancellationToken).ConfigureAwait(false);
        var lat = await ReadAsync<double>(group, fields, prefix + "_lat", n, cancellationToken).ConfigureAwait(false);
        var lon = await ReadAsync<double>(group, fields, prefix + "_lon", n, cancellationToken).ConfigureAwait(false);
        var places = new Location[n];
        for (int i = 0; i < n; i++)
        {
            places[i] = new Location(geonameId[i], city[i], country[i], lat[i], lon[i]);
        }

        return places;
    }

    private static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string name, int n, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(Field(fields, name), values, null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader group, Dictionary<string, DataField> fields, string name, int n, CancellationToken cancellationToken)
    {
        var values = new string?[n];
        await group.ReadAsync(Field(fields, name), values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static DataField Field(Dictionary<string, DataField> fields, string name) =>
        fields.TryGetValue(name, out DataField? field) ? field : throw new InvalidDataException($"it has no column '{name}'.");
}
