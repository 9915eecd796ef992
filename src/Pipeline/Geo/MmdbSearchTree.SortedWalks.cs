using System.Numerics;
using System.Runtime.CompilerServices;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// Batch walks of one address family, fastest on addresses in ascending order. The batch is cut into one contiguous
/// run per lane and the lanes advance in turns, so the memory reads of different walks overlap; within its run a lane
/// keeps the nodes of its previous walk, so an address sharing the first bits of the one before resumes the walk at
/// the first differing bit, and one inside the previous answer's network is answered without reading the tree.
/// </summary>
internal sealed partial class MmdbSearchTree
{
    private const int V4Lanes = 16;

    private const int V6Lanes = 8;

    /// <summary>Data offsets of the records of dotted-quad IPv4 addresses (as <see cref="Find(Net.IpAddress128)"/>).</summary>
    public void FindManyV4(ReadOnlySpan<uint> addresses, Span<int> offsets)
    {
        const int Width = 32;
        PrefixTable table = _v4Table;
        int tableBits = table.Bits;
        Span<int> next = stackalloc int[V4Lanes];
        Span<int> ends = stackalloc int[V4Lanes];
        Span<int> current = stackalloc int[V4Lanes];
        Span<uint> nodes = stackalloc uint[V4Lanes];
        Span<int> depths = stackalloc int[V4Lanes];
        Span<uint> rests = stackalloc uint[V4Lanes];
        Span<uint> previous = stackalloc uint[V4Lanes];
        Span<int> previousDepths = stackalloc int[V4Lanes];
        Span<int> previousOffsets = stackalloc int[V4Lanes];
        Span<uint> paths = stackalloc uint[V4Lanes * Width];
        CutIntoRuns(addresses.Length, next, ends);
        current.Fill(-1);
        previousDepths.Fill(int.MaxValue);

        int busy = V4Lanes;
        while (busy > 0)
        {
            busy = 0;
            for (int lane = 0; lane < V4Lanes; lane++)
            {
                if (current[lane] < 0)
                {
                    while (next[lane] < ends[lane])
                    {
                        int i = next[lane]++;
                        uint address = addresses[i];
                        int common = previousDepths[lane] == int.MaxValue ? 0 : BitOperations.LeadingZeroCount(address ^ previous[lane]);
                        if (common >= previousDepths[lane])
                        {
                            offsets[i] = previousOffsets[lane];
                            continue;
                        }

                        current[lane] = i;
                        if (common > tableBits)
                        {
                            depths[lane] = common;
                            nodes[lane] = paths[(lane * Width) + common];
                        }
                        else
                        {
                            // A table slot holding a record ends the walk whatever its depth: the slot's depth is not
                            // read, and the table's width stands for it (a narrower network is wholly inside the slot).
                            depths[lane] = tableBits;
                            nodes[lane] = table.Records[(int)(address >> (Width - tableBits))];
                        }

                        rests[lane] = address << depths[lane];
                        break;
                    }

                    if (current[lane] < 0)
                    {
                        continue;
                    }
                }

                busy++;
                int depth = depths[lane];
                uint node = nodes[lane];
                if (depth < Width && node < _nodeCount)
                {
                    paths[(lane * Width) + depth] = node;
                    uint rest = rests[lane];
                    nodes[lane] = ReadRecord(node, (int)(rest >> 31));
                    rests[lane] = rest << 1;
                    depths[lane] = depth + 1;
                }
                else
                {
                    int i = current[lane];
                    int offset = ToDataOffset(node);
                    offsets[i] = offset;
                    previous[lane] = addresses[i];
                    previousDepths[lane] = depth;
                    previousOffsets[lane] = offset;
                    current[lane] = -1;
                }
            }
        }
    }

    /// <summary>
    /// Data offsets of the records of addresses walked from the root as 128-bit values: IPv6 addresses (IPv4-mapped
    /// ones written as IPv6 included).
    /// </summary>
    public void FindManyV6(ReadOnlySpan<UInt128> addresses, Span<int> offsets)
    {
        const int Width = 128;
        if (_ipVersion != 6)
        {
            // An IPv4 database has only IPv4-mapped ones, one by one (rare).
            for (int i = 0; i < addresses.Length; i++)
            {
                offsets[i] = Find(new Net.IpAddress128(addresses[i], false));
            }

            return;
        }

        PrefixTable table = _v6Table!;
        int tableBits = table.Bits;
        Span<int> next = stackalloc int[V6Lanes];
        Span<int> ends = stackalloc int[V6Lanes];
        Span<int> current = stackalloc int[V6Lanes];
        Span<uint> nodes = stackalloc uint[V6Lanes];
        Span<int> depths = stackalloc int[V6Lanes];
        Span<ulong> rests = stackalloc ulong[V6Lanes];
        Span<UInt128> previous = stackalloc UInt128[V6Lanes];
        Span<int> previousDepths = stackalloc int[V6Lanes];
        Span<int> previousOffsets = stackalloc int[V6Lanes];
        Span<uint> paths = stackalloc uint[V6Lanes * Width];
        CutIntoRuns(addresses.Length, next, ends);
        current.Fill(-1);
        previousDepths.Fill(int.MaxValue);

        int busy = V6Lanes;
        while (busy > 0)
        {
            busy = 0;
            for (int lane = 0; lane < V6Lanes; lane++)
            {
                if (current[lane] < 0)
                {
                    while (next[lane] < ends[lane])
                    {
                        int i = next[lane]++;
                        UInt128 address = addresses[i];
                        int common = previousDepths[lane] == int.MaxValue ? 0 : (int)UInt128.LeadingZeroCount(address ^ previous[lane]);
                        if (common >= previousDepths[lane])
                        {
                            offsets[i] = previousOffsets[lane];
                            continue;
                        }

                        current[lane] = i;
                        int depth;
                        if (common > tableBits)
                        {
                            depth = common;
                            nodes[lane] = paths[(lane * Width) + common];
                        }
                        else
                        {
                            depth = tableBits;
                            nodes[lane] = table.Records[(int)(address >> (Width - tableBits))];
                        }

                        depths[lane] = depth;
                        rests[lane] = depth < 64 ? (ulong)(address >> 64) << depth : (ulong)address << (depth - 64);
                        break;
                    }

                    if (current[lane] < 0)
                    {
                        continue;
                    }
                }

                busy++;
                int d = depths[lane];
                uint node = nodes[lane];
                if (d < Width && node < _nodeCount)
                {
                    paths[(lane * Width) + d] = node;
                    ulong rest = rests[lane];
                    nodes[lane] = ReadRecord(node, (int)(rest >> 63));
                    depths[lane] = ++d;
                    // The low half of the address is read once the high half is used up.
                    rests[lane] = d == 64 ? (ulong)addresses[current[lane]] : rest << 1;
                }
                else
                {
                    int i = current[lane];
                    int offset = ToDataOffset(node);
                    offsets[i] = offset;
                    previous[lane] = addresses[i];
                    previousDepths[lane] = d;
                    previousOffsets[lane] = offset;
                    current[lane] = -1;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CutIntoRuns(int count, Span<int> starts, Span<int> ends)
    {
        for (int lane = 0; lane < starts.Length; lane++)
        {
            starts[lane] = (int)((long)count * lane / starts.Length);
            ends[lane] = (int)((long)count * (lane + 1) / starts.Length);
        }
    }
}
