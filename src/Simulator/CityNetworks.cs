using System.Diagnostics;

namespace ListeningTogether.Simulator;

/// <summary>
/// Which IP networks of a MaxMind City database geolocate to which GeoNames city: every public IPv4 and IPv6
/// network whose record has a city geoname id, coordinates and an accuracy radius within the limit. Built by
/// walking the database's search tree once and decoding each distinct record once.
/// </summary>
public sealed class CityNetworks
{
    private readonly int[] _geonameIds;
    private readonly int[] _v4Offsets;
    private readonly V4Network[] _v4;
    private readonly int[] _v6Offsets;
    private readonly V6Network[] _v6;

    internal CityNetworks(string databaseType, DateTimeOffset buildTime, int[] geonameIds, int[] v4Offsets, V4Network[] v4, int[] v6Offsets, V6Network[] v6)
    {
        DatabaseType = databaseType;
        BuildTime = buildTime;
        _geonameIds = geonameIds;
        _v4Offsets = v4Offsets;
        _v4 = v4;
        _v6Offsets = v6Offsets;
        _v6 = v6;
    }

    public string DatabaseType { get; }

    public DateTimeOffset BuildTime { get; }

    /// <summary>The GeoNames ids of the cities that have networks, ascending.</summary>
    public IReadOnlyList<int> GeonameIds => _geonameIds;

    public int IPv4NetworkCount => _v4.Length;

    public int IPv6NetworkCount => _v6.Length;

    /// <summary>Reads the networks of a City database (.mmdb).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="maxAccuracyRadiusKm">Networks whose accuracy radius exceeds this are left out; a missing radius passes.</param>
    /// <param name="keepCity">When given, only networks of the cities it accepts are kept (saves memory).</param>
    public static CityNetworks Load(string path, int maxAccuracyRadiusKm = 250, Func<int, bool>? keepCity = null)
    {
        var file = MmdbByteReader.Open(path);
        var walk = new CityNetworksWalk(file, maxAccuracyRadiusKm, keepCity ?? (_ => true));
        walk.Run();
        return walk.Build();
    }

    /// <summary>The index of a city in <see cref="GeonameIds"/>, or -1.</summary>
    public int IndexOf(int geonameId) => Math.Max(-1, Array.BinarySearch(_geonameIds, geonameId));

    /// <summary>The networks of a city (IPv4 first); empty when it has none.</summary>
    public IReadOnlyList<IpNetwork> NetworksOf(int geonameId)
    {
        int city = IndexOf(geonameId);
        if (city < 0)
        {
            return [];
        }

        var networks = new List<IpNetwork>();
        for (int i = _v4Offsets[city]; i < _v4Offsets[city + 1]; i++)
        {
            networks.Add(new IpNetwork(_v4[i].Start, _v4[i].Prefix, IsIPv4: true));
        }

        for (int i = _v6Offsets[city]; i < _v6Offsets[city + 1]; i++)
        {
            networks.Add(new IpNetwork(_v6[i].Start, _v6[i].Prefix, IsIPv4: false));
        }

        return networks;
    }

    internal int IPv4CountOf(int city) => _v4Offsets[city + 1] - _v4Offsets[city];

    internal int IPv6CountOf(int city) => _v6Offsets[city + 1] - _v6Offsets[city];

    /// <summary>An address drawn uniformly from the <paramref name="index"/>-th network of the city's family.</summary>
    internal SimulatedIp DrawAddress(int city, bool ipv6, int index, SimulatorRandom random)
    {
        if (!ipv6)
        {
            var n = _v4[_v4Offsets[city] + index];
            uint host = n.Prefix == 0 ? (uint)random.NextUInt64() : (uint)random.NextBounded(1UL << (32 - n.Prefix));
            return SimulatedIp.V4(n.Start | host);
        }

        var m = _v6[_v6Offsets[city] + index];
        Debug.Assert(m.Prefix >= 3, "IPv6 networks are inside 2000::/3");
        int hostBits = 128 - m.Prefix;
        UInt128 random128 = new(random.NextUInt64(), random.NextUInt64());
        UInt128 hostPart = random128 & ((UInt128.One << hostBits) - 1);
        return SimulatedIp.V6(m.Start | hostPart);
    }

    internal readonly record struct V4Network(uint Start, byte Prefix);

    /// <summary>The address as two halves: a UInt128 field would pad the struct to 32 bytes.</summary>
    internal readonly record struct V6Network(ulong High, ulong Low, byte Prefix)
    {
        public V6Network(UInt128 start, int prefix)
            : this((ulong)(start >> 64), (ulong)start, (byte)prefix)
        {
        }

        public UInt128 Start => new(High, Low);
    }
}
