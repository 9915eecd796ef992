using ListeningTogether.Abstractions;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Writes co-plays, handed over already sorted by (window_start, track_id), as DESIGN.md's result Parquet
/// columns: a row group every <see cref="RowGroupSize"/> co-plays so memory stays bounded, and key-value metadata
/// (the settings and the City database) in the footer.
/// </summary>
internal sealed class CoPlayParquetWriter : IAsyncDisposable
{
    public const int RowGroupSize = 100_000;

    public static readonly DateTimeDataField WindowStart = new("window_start", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    public static readonly DataField<string> TrackId = new("track_id", false);
    public static readonly DataField<long> Plays = new("plays", false);
    public static readonly DataField<long> Locations = new("locations", false);

    private static readonly PlaceFields A = new("a");
    private static readonly PlaceFields B = new("b");
    private static readonly DataField<double> DistanceKm = new("distance_km", false);

    public static readonly ParquetSchema Schema = new(
        WindowStart, TrackId, Plays, Locations,
        A.GeonameId, A.City, A.Country, A.Lat, A.Lon,
        B.GeonameId, B.City, B.Country, B.Lat, B.Lon,
        DistanceKm);

    private readonly ParquetWriter _writer;
    private readonly List<CoPlay> _pending = new(RowGroupSize);
    private bool _completed;

    private CoPlayParquetWriter(ParquetWriter writer)
    {
        _writer = writer;
    }

    public long Written { get; private set; }

    public static async Task<CoPlayParquetWriter> CreateAsync(Stream output, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ParquetWriter writer = await ParquetWriter.CreateAsync(Schema, output, cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = metadata;
        return new CoPlayParquetWriter(writer);
    }

    /// <summary>The key-value metadata of a result file: the settings and the City database that made it.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(ReplaySettings settings, CityDatabaseInfo cityDatabase)
    {
        Dictionary<string, string> metadata = CoPlayParquetMetadata.Of(settings.WindowMs, settings.MinDistanceKm, settings.MaxAccuracyRadiusKm, cityDatabase);
        if (settings.FromMs is long from)
        {
            metadata["from"] = JsonText.FormatTime(from);
        }

        if (settings.ToMs is long to)
        {
            metadata["to"] = JsonText.FormatTime(to);
        }

        return metadata;
    }

    /// <summary>Adds co-plays (in output order); writes a row group whenever <see cref="RowGroupSize"/> are pending.</summary>
    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        foreach (CoPlay coPlay in coPlays)
        {
            _pending.Add(coPlay);
            if (_pending.Count == RowGroupSize)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes what is pending and the footer; the stream then holds a complete file.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes an incomplete writer (after a failure); after <see cref="CompleteAsync"/> there is nothing left to do.</summary>
    public ValueTask DisposeAsync() => _completed ? ValueTask.CompletedTask : _writer.DisposeAsync();

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using (ParquetRowGroupWriter group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<DateTime>(WindowStart, Column(c => DateTime.UnixEpoch.AddMilliseconds(c.WindowStartMs)), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(TrackId, _pending.ConvertAll(c => c.TrackId)).ConfigureAwait(false);
            await group.WriteAsync<long>(Plays, Column(c => c.Plays), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<long>(Locations, Column(c => c.Locations), null, null, cancellationToken).ConfigureAwait(false);
            await A.WriteAsync(group, _pending, c => c.A, cancellationToken).ConfigureAwait(false);
            await B.WriteAsync(group, _pending, c => c.B, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(DistanceKm, Column(c => c.DistanceKm), null, null, cancellationToken).ConfigureAwait(false);
        }

        Written += _pending.Count;
        _pending.Clear();
    }

    private T[] Column<T>(Func<CoPlay, T> value)
    {
        var column = new T[_pending.Count];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = value(_pending[i]);
        }

        return column;
    }

    /// <summary>The five columns of one place of the pair, <c>a_*</c> or <c>b_*</c>.</summary>
    private sealed class PlaceFields(string prefix)
    {
        public DataField<long> GeonameId { get; } = new($"{prefix}_geoname_id", false);

        public DataField<string> City { get; } = new($"{prefix}_city", true);

        public DataField<string> Country { get; } = new($"{prefix}_country", true);

        public DataField<double> Lat { get; } = new($"{prefix}_lat", false);

        public DataField<double> Lon { get; } = new($"{prefix}_lon", false);

        public async Task WriteAsync(ParquetRowGroupWriter group, List<CoPlay> rows, Func<CoPlay, Location> place, CancellationToken cancellationToken)
        {
            await group.WriteAsync<long>(GeonameId, rows.Select(r => place(r).GeonameId).ToArray(), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(City, rows.ConvertAll(r => place(r).City)!).ConfigureAwait(false);
            await group.WriteAsync(Country, rows.ConvertAll(r => place(r).Country)!).ConfigureAwait(false);
            await group.WriteAsync<double>(Lat, rows.Select(r => place(r).Lat).ToArray(), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(Lon, rows.Select(r => place(r).Lon).ToArray(), null, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
