using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// A per-worker, direct-mapped cache in front of the City database: IPv4 by /24 and IPv6 by /48, for networks at
/// least that large (every address in them has the same answer). Real traffic repeats networks, so most plays
/// skip the tree walk and the shared record cache. Not thread-safe.
/// </summary>
public sealed class CityLookupCache
{
    private const int V4Bits = 24;
    private const int V6Bits = 48;
    private const int SlotBits = 18;

    private readonly CityDatabase _cities;
    private readonly Entry[] _v4 = new Entry[1 << SlotBits];
    private readonly Entry[] _v6 = new Entry[1 << SlotBits];

    public CityLookupCache(CityDatabase cities)
    {
        _cities = cities;
    }

    /// <summary>The record offset and its decoded answer for an address; offset negative and geo null when there is none.</summary>
    public int Lookup(IpAddress128 address, out CityGeo? geo)
    {
        bool v4 = address.IsV4Mapped && address.IsV4Text;
        ulong key = v4 ? address.V4 >> (32 - V4Bits) : (ulong)(address.Value >> (128 - V6Bits));
        Entry[] slots = v4 ? _v4 : _v6;
        ref Entry slot = ref slots[(int)((key * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits))];
        if (slot.Key == key + 1)
        {
            geo = slot.Geo;
            return slot.Offset;
        }

        int offset = _cities.FindRecord(address, out int prefixLength);
        geo = offset < 0 ? null : _cities.Resolve(offset, address);
        if (prefixLength <= (v4 ? V4Bits : V6Bits))
        {
            slot = new Entry(key + 1, offset, geo);
        }

        return offset;
    }

    private readonly record struct Entry(ulong Key, int Offset, CityGeo? Geo);
}
