using System.Globalization;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>The key-value metadata of a result Parquet file: the rule's settings and the City database that made it.</summary>
public static class CoPlayParquetMetadata
{
    /// <summary>
    /// The metadata for these settings; without <paramref name="cities"/> (a match stage, which never opens the
    /// database: ingest located the plays) the City database keys are left out rather than guessed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Of(int windowMs, double minDistanceKm, int maxAccuracyRadiusKm, CityDatabase? cities) =>
        Of(windowMs, minDistanceKm, maxAccuracyRadiusKm, cities is null ? null : new CityDatabaseInfo(cities.DatabaseType, cities.BuildTime));

    /// <summary>As above, for a City database known by its type and build time (a replay's or a merge's).</summary>
    public static Dictionary<string, string> Of(int windowMs, double minDistanceKm, int maxAccuracyRadiusKm, CityDatabaseInfo? cityDatabase)
    {
        var metadata = new Dictionary<string, string>
        {
            ["windowMs"] = windowMs.ToString(CultureInfo.InvariantCulture),
            ["minDistanceKm"] = minDistanceKm.ToString(CultureInfo.InvariantCulture),
            ["maxAccuracyRadiusKm"] = maxAccuracyRadiusKm.ToString(CultureInfo.InvariantCulture),
        };
        if (cityDatabase is not null)
        {
            metadata["cityDatabase.type"] = cityDatabase.Type;
            metadata["cityDatabase.buildTime"] = JsonText.FormatTime(cityDatabase.BuildTime.ToUnixTimeMilliseconds());
        }

        return metadata;
    }
}
