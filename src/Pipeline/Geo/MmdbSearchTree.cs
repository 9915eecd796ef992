using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// Walks a MaxMind DB search tree over the file's bytes and returns the data-section offset of an address's
/// record. Many networks share one record, so callers cache decoded records by that offset; the walk itself
/// reads only tree nodes and never decodes data.
/// </summary>
internal sealed partial class MmdbSearchTree
{
    /// <summary>Returned when the database holds no record for an address.</summary>
    public const int NotFound = -1;

    private readonly byte[] _file;
    private readonly uint _nodeCount;
    private readonly int _recordSize;
    private readonly int _nodeBytes;
    private readonly int _ipVersion;
    private readonly uint _v4Start;
    private readonly long _dataSectionSize;

    // The first bits of an address are resolved by a table: a node to continue from, or a final record value
    // with the depth at which the walk ended. Large databases get 24 bits for IPv4 (64 MB), small ones 16.
    private readonly PrefixTable _v4Table;
    private readonly PrefixTable? _v6Table;

    public MmdbSearchTree(byte[] file, uint nodeCount, int recordSize, int ipVersion, string path)
    {
        if (recordSize is not (24 or 28 or 32))
        {
            throw new GeoDatabaseException(path, $"unsupported record size {recordSize}");
        }

        if (ipVersion is not (4 or 6))
        {
            throw new GeoDatabaseException(path, $"unsupported ip_version {ipVersion}");
        }

        _file = file;
        _nodeCount = nodeCount;
        _recordSize = recordSize;
        _nodeBytes = recordSize / 4;
        _ipVersion = ipVersion;
        long treeBytes = (long)nodeCount * _nodeBytes;
        _dataSectionSize = file.Length - treeBytes - 16;
        if (nodeCount == 0 || _dataSectionSize <= 0)
        {
            throw new GeoDatabaseException(path, $"node count {nodeCount} does not fit the file");
        }

        _v4Start = 0;
        if (ipVersion == 6)
        {
            uint node = 0;
            for (int i = 0; i < 96 && node < nodeCount; i++)
            {
                node = ReadRecord(node, 0);
            }

            _v4Start = node;
        }

        // The tables and the check read the file independently: on two cores start-up takes the longest of them.
        PrefixTable? v4 = null, v6 = null;
        try
        {
            Parallel.Invoke(
                () => v4 = new PrefixTable(this, _v4Start, nodeCount > 1_000_000 ? 24 : 16),
                () => v6 = ipVersion == 6 ? new PrefixTable(this, 0, 20) : null,
                () => Validate(path));
        }
        catch (AggregateException e)
        {
            // The check's clear message first; otherwise what a table walk ran into on a corrupt tree.
            ExceptionDispatchInfo.Throw(e.InnerExceptions.OfType<GeoDatabaseException>().FirstOrDefault() ?? e.InnerExceptions[0]);
        }

        _v4Table = v4!;
        _v6Table = v6;
    }

    /// <summary>The data section: record offsets count from its start (the metadata at its end included).</summary>
    public ReadOnlySpan<byte> DataSection => _file.AsSpan((int)(_file.Length - _dataSectionSize));

    /// <summary>Data offset of the record for <paramref name="address"/>, or <see cref="NotFound"/>.</summary>
    public int Find(IpAddress128 address) => Find(address, out _);

    /// <summary>
    /// As <see cref="Find(IpAddress128)"/>, also giving the prefix length of the network that answered (of 32 for
    /// dotted-quad IPv4 text, of 128 otherwise): every address sharing that prefix has the same answer.
    /// </summary>
    public int Find(IpAddress128 address, out int prefixLength)
    {
        if (address.IsV4Mapped && address.IsV4Text)
        {
            return FindV4(address.V4, out prefixLength);
        }

        if (_ipVersion == 4)
        {
            prefixLength = 128;
            return address.IsV4Mapped ? FindV4(address.V4, out _) : NotFound;
        }

        UInt128 bits = address.Value;
        PrefixTable table = _v6Table!;
        int slot = (int)(bits >> (128 - table.Bits));
        uint node = table.Records[slot];
        int depth = table.Depths[slot];
        bits <<= depth;
        for (; depth < 128 && node < _nodeCount; depth++)
        {
            int bit = (int)(bits >> 127);
            bits <<= 1;
            node = ReadRecord(node, bit);
        }

        prefixLength = depth;
        return ToDataOffset(node);
    }

    private int FindV4(uint address, out int prefixLength)
    {
        int slot = (int)(address >> (32 - _v4Table.Bits));
        uint node = _v4Table.Records[slot];
        int depth = _v4Table.Depths[slot];
        uint bits = address << depth;
        for (; depth < 32 && node < _nodeCount; depth++)
        {
            node = ReadRecord(node, (int)(bits >> 31));
            bits <<= 1;
        }

        prefixLength = depth;
        return ToDataOffset(node);
    }

    private int ToDataOffset(uint record)
    {
        if (record <= _nodeCount)
        {
            return NotFound;
        }

        long offset = (long)record - _nodeCount - 16;
        return offset >= 0 && offset < _dataSectionSize ? (int)offset : NotFound;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadRecord(uint node, int bit)
    {
        ReadOnlySpan<byte> n = _file.AsSpan((int)(node * (long)_nodeBytes), _nodeBytes);
        return _recordSize switch
        {
            24 => bit == 0 ? ReadUInt24(n) : ReadUInt24(n[3..]),
            28 => bit == 0
                ? ((uint)(n[3] & 0xF0) << 20) | ReadUInt24(n)
                : ((uint)(n[3] & 0x0F) << 24) | ReadUInt24(n[4..]),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bit == 0 ? n : n[4..]),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadUInt24(ReadOnlySpan<byte> b) => ((uint)b[0] << 16) | ((uint)b[1] << 8) | b[2];

    /// <summary>Up to <paramref name="max"/> distinct records, each with one address inside its network, in tree order.</summary>
    public List<(IpAddress128 Address, int Offset)> SampleRecords(int max)
    {
        var found = new List<(IpAddress128, int)>();
        var seen = new HashSet<int>();

        // Each node once: a node reached again (an alias) holds no record not already found, and walking every path
        // through shared nodes takes time exponential in the depth.
        var entered = new HashSet<uint> { 0 };
        int bits = _ipVersion == 6 ? 128 : 32;
        var stack = new Stack<(uint Node, UInt128 Prefix, int Depth)>();
        stack.Push((0, UInt128.Zero, 0));
        while (stack.Count > 0 && found.Count < max)
        {
            var (node, prefix, depth) = stack.Pop();
            for (int bit = 1; bit >= 0; bit--)
            {
                if (depth >= bits)
                {
                    break;
                }

                uint record = ReadRecord(node, bit);
                UInt128 next = prefix | ((UInt128)(uint)bit << (bits - 1 - depth));
                if (record < _nodeCount)
                {
                    if (entered.Add(record))
                    {
                        stack.Push((record, next, depth + 1));
                    }
                }
                else if (ToDataOffset(record) is int offset and >= 0 && seen.Add(offset))
                {
                    found.Add((bits == 32 ? IpAddress128.FromV4((uint)next) : new IpAddress128(next, false), offset));
                }
            }
        }

        return found;
    }

    /// <summary>The walk's state after the first <see cref="Bits"/> bits, for every value of those bits.</summary>
    private sealed class PrefixTable
    {
        public PrefixTable(MmdbSearchTree tree, uint start, int bits)
        {
            Bits = bits;
            Records = new uint[1 << bits];
            Depths = new byte[1 << bits];
            Fill(tree, start, 0, 0);
        }

        public int Bits { get; }

        public uint[] Records { get; }

        public byte[] Depths { get; }

        private void Fill(MmdbSearchTree tree, uint node, int depth, int prefix)
        {
            if (depth == Bits || node >= tree._nodeCount)
            {
                // A record reached early answers for every slot under its prefix.
                int first = prefix << (Bits - depth);
                int count = 1 << (Bits - depth);
                Records.AsSpan(first, count).Fill(node);
                Depths.AsSpan(first, count).Fill((byte)depth);
                return;
            }

            Fill(tree, tree.ReadRecord(node, 0), depth + 1, prefix << 1);
            Fill(tree, tree.ReadRecord(node, 1), depth + 1, (prefix << 1) | 1);
        }
    }
}
