using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// City lookups of a batch of addresses, walked in address order rather than arrival order: neighbouring addresses
/// share the prefix table's cache lines and the tree's upper nodes, and a walk resumes from the one before at their
/// first differing bit. Each family is sorted on its own (a radix sort of IPv4's 32 bits, of IPv6's first 64, where its
/// networks end) and walked by its own loop; the answers go back to the callers' order. <c>ListeningTogether.Bench
/// lookup-order</c> on 120,000 plays' addresses: about 270 ns an address in arrival order, 200 in address order with one
/// loop for both families and a 32-bit IPv6 key, 126 so (sort included). One per thread: it keeps its buffers.
/// </summary>
internal sealed class AddressOrderLookup(CityDatabase cities)
{
    private readonly RadixSort _sort = new();
    private ulong[] _v4Keys = [];
    private int[] _v4Order = [];
    private uint[] _v4Sorted = [];
    private ulong[] _v6Keys = [];
    private int[] _v6Order = [];
    private UInt128[] _v6Sorted = [];
    private int[] _sortedOffsets = [];

    /// <summary>As <see cref="CityDatabase.FindRecords"/>: the data offset of each address's record, in the addresses' order.</summary>
    public void FindRecords(ReadOnlySpan<IpAddress128> addresses, Span<int> offsets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(offsets.Length, addresses.Length, nameof(offsets));
        int count = addresses.Length;
        Reserve(count);
        int v4 = 0, v6 = 0;
        for (int i = 0; i < count; i++)
        {
            IpAddress128 address = addresses[i];
            if (address.IsV4Mapped && address.IsV4Text)
            {
                _v4Keys[v4] = address.V4;
                _v4Order[v4++] = i;
            }
            else
            {
                _v6Keys[v6] = (ulong)(address.Value >> 64);
                _v6Order[v6++] = i;
            }
        }

        _sort.Sort(ref _v4Keys, ref _v4Order, v4);
        for (int i = 0; i < v4; i++)
        {
            _v4Sorted[i] = addresses[_v4Order[i]].V4;
        }

        cities.FindRecordsV4(_v4Sorted.AsSpan(0, v4), _sortedOffsets);
        for (int i = 0; i < v4; i++)
        {
            offsets[_v4Order[i]] = _sortedOffsets[i];
        }

        _sort.Sort(ref _v6Keys, ref _v6Order, v6);
        for (int i = 0; i < v6; i++)
        {
            _v6Sorted[i] = addresses[_v6Order[i]].Value;
        }

        cities.FindRecordsV6(_v6Sorted.AsSpan(0, v6), _sortedOffsets);
        for (int i = 0; i < v6; i++)
        {
            offsets[_v6Order[i]] = _sortedOffsets[i];
        }
    }

    private void Reserve(int count)
    {
        if (_v4Keys.Length >= count)
        {
            return;
        }

        _v4Keys = new ulong[count];
        _v4Order = new int[count];
        _v4Sorted = new uint[count];
        _v6Keys = new ulong[count];
        _v6Order = new int[count];
        _v6Sorted = new UInt128[count];
        _sortedOffsets = new int[count];
    }
}
