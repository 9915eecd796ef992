using ListeningTogether.Abstractions.Options;
using ListeningTogether.Simulator;

namespace ListeningTogether.Bench;

/// <summary>Realistic benchmark input: simulated plays (addresses from the real City database's networks) as UTF-8 JSON messages.</summary>
internal static class BenchData
{
    public static string CityDb => SimulatorPaths.DataFile("GeoLite2-City.mmdb");

    /// <summary><paramref name="count"/> messages with event times spread over <paramref name="duration"/> from a fixed start.</summary>
    public static byte[][] Messages(int count, TimeSpan duration, int seed = 42)
    {
        if (!File.Exists(CityDb))
        {
            throw new FileNotFoundException($"The GeoLite2 City database '{CityDb}' is missing; run scripts/setup.sh first.", CityDb);
        }

        var cities = ListenerCities.Load(CityDb, SimulatorPaths.CitiesPath(null));
        var options = new SimulatorOptions { Seed = seed };
        var catalog = TrackCatalog.Generate(options.CatalogSize, seed);
        var simulator = new PlaySimulator(cities, catalog, options);
        var messages = new byte[count][];
        int i = 0;
        foreach (SimulatedPlay play in simulator.Batch(count, Start, duration))
        {
            messages[i++] = PlayJson.ToUtf8(play);
        }

        return messages;
    }

    public static DateTimeOffset Start { get; } = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
}
