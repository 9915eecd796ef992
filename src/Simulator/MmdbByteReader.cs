using System.Buffers.Binary;

namespace ListeningTogether.Simulator;

/// <summary>
/// A MaxMind DB file in memory: its metadata, its binary search tree and its data section, read straight from
/// the bytes so the whole tree can be walked quickly (see https://maxmind.github.io/MaxMind-DB/).
/// </summary>
internal sealed class MmdbByteReader
{
    private const int DataSectionSeparator = 16;
    private static ReadOnlySpan<byte> MetadataMarker => // "\xAB\xCD\xEFMaxMind.com"
        [0xAB, 0xCD, 0xEF, 0x4D, 0x61, 0x78, 0x4D, 0x69, 0x6E, 0x64, 0x2E, 0x63, 0x6F, 0x6D];

    private readonly byte[] _bytes;

    private MmdbByteReader(byte[] bytes, int nodeCount, int recordSize, int ipVersion, string databaseType, DateTimeOffset buildTime)
    {
        _bytes = bytes;
        NodeCount = nodeCount;
        RecordSize = recordSize;
        IpVersion = ipVersion;
        DatabaseType = databaseType;
        BuildTime = buildTime;
        long treeSize = (long)nodeCount * recordSize / 4;
        if (treeSize + DataSectionSeparator > bytes.Length)
        {
            throw new InvalidDataException($"MaxMind DB search tree of {nodeCount} nodes does not fit in the file.");
        }

        Data = new MmdbData(bytes, (int)treeSize + DataSectionSeparator);
    }

    public int NodeCount { get; }

    public int RecordSize { get; }

    public int IpVersion { get; }

    public string DatabaseType { get; }

    public DateTimeOffset BuildTime { get; }

    public MmdbData Data { get; }

    public static MmdbByteReader Open(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int marker = bytes.AsSpan().LastIndexOf(MetadataMarker);
        if (marker < 0)
        {
            throw new InvalidDataException($"'{path}' is not a MaxMind DB file: no metadata marker.");
        }

        var metadata = new MmdbData(bytes, marker + MetadataMarker.Length);
        long nodeCount = ReadRequired(metadata, "node_count"u8, path);
        long recordSize = ReadRequired(metadata, "record_size"u8, path);
        long ipVersion = ReadRequired(metadata, "ip_version"u8, path);
        if (recordSize is not (24 or 28 or 32) || ipVersion is not (4 or 6) || nodeCount is <= 0 or > int.MaxValue / 8)
        {
            throw new InvalidDataException($"'{path}' has an unsupported MaxMind DB layout (record_size {recordSize}, ip_version {ipVersion}, node_count {nodeCount}).");
        }

        string type = metadata.TryFindKey(0, "database_type"u8, out int typeOffset) ? metadata.ReadString(typeOffset) ?? "" : "";
        long epoch = metadata.TryFindKey(0, "build_epoch"u8, out int epochOffset) && metadata.TryReadInteger(epochOffset, out long e) ? e : 0;
        return new MmdbByteReader(bytes, (int)nodeCount, (int)recordSize, (int)ipVersion, type, DateTimeOffset.FromUnixTimeSeconds(epoch));
    }

    /// <summary>The left (bit 0) or right (bit 1) record of a node.</summary>
    public int ReadRecord(int node, int bit)
    {
        ReadOnlySpan<byte> b = _bytes;
        switch (RecordSize)
        {
            case 24:
                int p24 = node * 6 + bit * 3;
                return (b[p24] << 16) | (b[p24 + 1] << 8) | b[p24 + 2];
            case 28:
                int p28 = node * 7;
                return bit == 0
                    ? ((b[p28 + 3] & 0xF0) << 20) | (b[p28] << 16) | (b[p28 + 1] << 8) | b[p28 + 2]
                    : ((b[p28 + 3] & 0x0F) << 24) | (b[p28 + 4] << 16) | (b[p28 + 5] << 8) | b[p28 + 6];
            default:
                return (int)BinaryPrimitives.ReadUInt32BigEndian(b.Slice(node * 8 + bit * 4, 4));
        }
    }

    /// <summary>The data-section offset a record value greater than the node count points to.</summary>
    public int DataOffset(int record) => record - NodeCount - DataSectionSeparator;

    private static long ReadRequired(MmdbData metadata, ReadOnlySpan<byte> key, string path) =>
        metadata.TryFindKey(0, key, out int offset) && metadata.TryReadInteger(offset, out long value)
            ? value
            : throw new InvalidDataException($"'{path}' has no '{System.Text.Encoding.UTF8.GetString(key)}' in its MaxMind DB metadata.");
}
