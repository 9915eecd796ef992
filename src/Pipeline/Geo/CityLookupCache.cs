using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// A per-worker cache of City database answers by network. A lookup answers for its whole network (its prefix
/// length comes with it), so the answer is stored under (prefix length, network bits); later addresses probe the
/// prefix lengths seen so far, most frequent first, and skip the tree walk and the shared record cache when one
/// matches. Not thread-safe.
/// </summary>
internal sealed class CityLookupCache
{
    private const int SlotBits = 18;
    private const int ReorderEvery = 1 << 16;

    private readonly CityDatabase _cities;
    private readonly Family _v4 = new(32);
    private readonly Family _v6 = new(128);

    public CityLookupCache(CityDatabase cities)
    {
        _cities = cities;
    }

    public long Lookups { get; private set; }

    /// <summary>Lookups that had to walk the search tree.</summary>
    public long Misses { get; private set; }

    /// <summary>The record offset and its decoded answer for an address; offset negative and geo null when there is none.</summary>
    public int Lookup(IpAddress128 address, out CityGeo? geo)
    {
        Lookups++;
        bool v4 = address.IsV4Mapped && address.IsV4Text;
        Family family = v4 ? _v4 : _v6;
        UInt128 bits = v4 ? address.V4 : address.Value;
        if (family.TryGet(bits, out int offset, out geo))
        {
            return offset;
        }

        Misses++;
        offset = _cities.FindRecord(address, out int prefixLength);
        geo = offset < 0 ? null : _cities.Resolve(offset);
        family.Add(bits, prefixLength, offset, geo);
        return offset;
    }

    private sealed class Family(int width)
    {
        private readonly Entry[] _slots = new Entry[1 << SlotBits];
        private readonly long[] _hitsByLength = new long[width + 1];
        private int[] _lengths = [];
        private int _sinceReorder;

        public bool TryGet(UInt128 address, out int offset, out CityGeo? geo)
        {
            foreach (int length in _lengths)
            {
                ulong key = Key(address, length);
                ref Entry slot = ref _slots[Slot(key, length)];
                if (slot.Key == key && slot.Length == length)
                {
                    _hitsByLength[length]++;
                    if (++_sinceReorder == ReorderEvery)
                    {
                        Reorder();
                    }

                    offset = slot.Offset;
                    geo = slot.Geo;
                    return true;
                }
            }

            offset = -1;
            geo = null;
            return false;
        }

        public void Add(UInt128 address, int length, int offset, CityGeo? geo)
        {
            if (length == 0 || length > 64 || length > width)
            {
                // Networks longer than 64 bits are rare and not worth a slot; an empty prefix means no answer.
                return;
            }

            if (Array.IndexOf(_lengths, length) < 0)
            {
                _lengths = [.. _lengths, length];
            }

            ulong key = Key(address, length);
            _slots[Slot(key, length)] = new Entry(key, (byte)length, offset, geo);
        }

        private ulong Key(UInt128 address, int length) => (ulong)(address >> (width - length));

        private static int Slot(ulong key, int length) =>
            (int)(((key ^ ((ulong)length << 58)) * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits));

        private void Reorder()
        {
            _sinceReorder = 0;
            int[] lengths = [.. _lengths];
            Array.Sort(lengths, (a, b) => _hitsByLength[b].CompareTo(_hitsByLength[a]));
            _lengths = lengths;
        }
    }

    private readonly record struct Entry(ulong Key, byte Length, int Offset, CityGeo? Geo);
}
