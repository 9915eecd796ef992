using System.Runtime.InteropServices;

namespace ListeningTogether.Simulator;

/// <summary>
/// One walk over a City database's search tree that collects, per city, the public networks whose record
/// qualifies. Records are shared by many networks, so each distinct record is decoded once and remembered.
/// </summary>
internal sealed class CityNetworksWalk(MmdbByteReader file, int maxAccuracyRadiusKm, Func<int, bool> keepCity)
{
    private const int Rejected = -1;

    // Data offset -> dense city number (or Rejected); dense numbers are renumbered by geoname id at the end.
    private readonly Dictionary<int, int> _records = [];
    private readonly Dictionary<int, int> _cityByGeonameId = [];
    private readonly List<int> _geonameIdByCity = [];

    // Sized from the tree (GeoLite2 City has about one IPv4 network per two nodes and one IPv6 network per four)
    // so that millions of networks do not grow the lists by doubling, which would leave as much again as garbage.
    private readonly List<int> _v4Cities = new(file.NodeCount / 2);
    private readonly List<CityNetworks.V4Network> _v4 = new(file.NodeCount / 2);
    private readonly List<int> _v6Cities = new(file.IpVersion == 6 ? file.NodeCount / 4 : 0);
    private readonly List<CityNetworks.V6Network> _v6 = new(file.IpVersion == 6 ? file.NodeCount / 4 : 0);
    private int _lastRecord = -1;
    private int _lastCity = Rejected;

    public void Run()
    {
        if (file.IpVersion == 4)
        {
            WalkV4(0, 0, 0);
        }
        else
        {
            WalkV6(0, 0, UInt128.Zero);
        }
    }

    public CityNetworks Build()
    {
        int cities = _geonameIdByCity.Count;
        int[] order = [.. Enumerable.Range(0, cities).OrderBy(c => _geonameIdByCity[c])];
        int[] rank = new int[cities];
        for (int i = 0; i < cities; i++)
        {
            rank[order[i]] = i;
        }

        int[] geonameIds = [.. order.Select(c => _geonameIdByCity[c])];
        var (v4Offsets, v4) = Group(_v4Cities, _v4, rank);
        var (v6Offsets, v6) = Group(_v6Cities, _v6, rank);
        return new CityNetworks(file.DatabaseType, file.BuildTime, geonameIds, v4Offsets, v4, v6Offsets, v6);
    }

    /// <summary>A counting sort of the networks by the rank of their city; returns each city's start offset.</summary>
    private static (int[] Offsets, T[] Items) Group<T>(List<int> cities, List<T> items, int[] rank)
    {
        int[] offsets = new int[rank.Length + 1];
        foreach (int city in cities)
        {
            offsets[rank[city] + 1]++;
        }

        for (int i = 1; i < offsets.Length; i++)
        {
            offsets[i] += offsets[i - 1];
        }

        var grouped = new T[items.Count];
        int[] next = offsets[..^1];
        for (int i = 0; i < items.Count; i++)
        {
            grouped[next[rank[cities[i]]]++] = items[i];
        }

        cities.Clear();
        cities.TrimExcess();
        items.Clear();
        items.TrimExcess();
        return (offsets, grouped);
    }

    private void WalkV4(int node, int depth, uint prefix)
    {
        for (int bit = 0; bit < 2; bit++)
        {
            uint childPrefix = prefix | ((uint)bit << (31 - depth));
            int record = file.ReadRecord(node, bit);
            if (record < file.NodeCount)
            {
                if (depth + 1 < 32)
                {
                    WalkV4(record, depth + 1, childPrefix);
                }
            }
            else if (record > file.NodeCount)
            {
                AddV4(childPrefix, depth + 1, record);
            }
        }
    }

    private void WalkV6(int node, int depth, UInt128 prefix)
    {
        for (int bit = 0; bit < 2; bit++)
        {
            UInt128 childPrefix = prefix | ((UInt128)(uint)bit << (127 - depth));
            int childDepth = depth + 1;
            int record = file.ReadRecord(node, bit);
            if (record < file.NodeCount)
            {
                // Below /32 only the ::/32 branch (IPv4 and its ::ffff:0:0/96 alias) still needs checking.
                bool decided = childDepth > 32 && (childDepth > 96 || (childPrefix >> 96) != UInt128.Zero);
                if (childDepth < 128 && (decided || NetworkRanges.MayHoldPublicV6(childPrefix, childDepth)))
                {
                    WalkV6(record, childDepth, childPrefix);
                }
            }
            else if (record > file.NodeCount)
            {
                if (childDepth >= 96 && (childPrefix >> 32) == UInt128.Zero)
                {
                    AddV4((uint)childPrefix, childDepth - 96, record);
                }
                else if (IsInsideKeptGlobalUnicast(childPrefix, childDepth) || NetworkRanges.IsPublicV6(childPrefix, childDepth))
                {
                    int city = CityOf(record);
                    if (city != Rejected)
                    {
                        _v6Cities.Add(city);
                        _v6.Add(new CityNetworks.V6Network(childPrefix, childDepth));
                    }
                }
            }
        }
    }

    /// <summary>
    /// A fast path for the common leaf: deeper than /32 inside 2000::/3, so its parent already passed
    /// <see cref="NetworkRanges.MayHoldPublicV6"/> and it cannot overlap a left-out /16 or /32.
    /// </summary>
    private static bool IsInsideKeptGlobalUnicast(UInt128 prefix, int depth) => depth > 32 && (prefix >> 125) == UInt128.One;

    private void AddV4(uint start, int prefix, int record)
    {
        if (!NetworkRanges.IsPublicV4(start, prefix))
        {
            return;
        }

        int city = CityOf(record);
        if (city != Rejected)
        {
            _v4Cities.Add(city);
            _v4.Add(new CityNetworks.V4Network(start, (byte)prefix));
        }
    }

    private int CityOf(int record)
    {
        // Neighbouring networks often share a record.
        if (record == _lastRecord)
        {
            return _lastCity;
        }

        int offset = file.DataOffset(record);
        ref int city = ref CollectionsMarshal.GetValueRefOrAddDefault(_records, offset, out bool known);
        if (!known)
        {
            city = Decode(offset);
        }

        _lastRecord = record;
        _lastCity = city;
        return city;
    }

    private int Decode(int offset)
    {
        var data = file.Data;
        if (!data.TryFindKey(offset, "city"u8, out int cityRecord)
            || !data.TryFindKey(cityRecord, "geoname_id"u8, out int idValue)
            || !data.TryReadInteger(idValue, out long geonameId)
            || geonameId is <= 0 or > int.MaxValue
            || !data.TryFindKey(offset, "location"u8, out int location)
            || !data.TryFindKey(location, "latitude"u8, out int latitude) || !data.TryReadDouble(latitude, out _)
            || !data.TryFindKey(location, "longitude"u8, out int longitude) || !data.TryReadDouble(longitude, out _))
        {
            return Rejected;
        }

        if (data.TryFindKey(location, "accuracy_radius"u8, out int radiusValue)
            && data.TryReadInteger(radiusValue, out long radius) && radius > maxAccuracyRadiusKm)
        {
            return Rejected;
        }

        if (!keepCity((int)geonameId))
        {
            return Rejected;
        }

        if (!_cityByGeonameId.TryGetValue((int)geonameId, out int city))
        {
            city = _geonameIdByCity.Count;
            _cityByGeonameId.Add((int)geonameId, city);
            _geonameIdByCity.Add((int)geonameId);
        }

        return city;
    }
}
