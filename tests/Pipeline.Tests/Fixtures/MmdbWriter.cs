using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>
/// Writes small MaxMind DB files (format 2.0) for cases the MaxMind test databases lack: a city without an
/// accuracy radius, a city without coordinates, 24/28/32-bit records, record values above 2^24. Values: a
/// dictionary is a map, string, double, bool, long is uint32, int is uint16, ulong is uint64, string[] an array.
/// </summary>
public static class MmdbWriter
{
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    /// <param name="ipVersion">4 or 6; in an IPv6 database IPv4 networks are placed at ::a.b.c.d.</param>
    /// <param name="recordSize">24, 28 or 32 bits.</param>
    /// <param name="paddingBytes">Unused bytes at the start of the data section, to push record values past 2^24.</param>
    /// <param name="languagesByPointer">Write the metadata's languages array as MaxMind's writer does: "en" as a pointer to the description's "en" key.</param>
    public static byte[] Build(
        int ipVersion,
        int recordSize,
        string databaseType,
        IEnumerable<(string Cidr, object Record)> networks,
        int paddingBytes = 0,
        bool languagesByPointer = false)
    {
        int bits = ipVersion == 6 ? 128 : 32;
        var nodes = new List<long[]> { new long[] { Empty, Empty } };
        var records = new List<object>();
        foreach (var (cidr, record) in networks)
        {
            var (prefix, length) = Prefix(cidr, bits);
            int dataIndex = records.Count;
            records.Add(record);
            int node = 0;
            for (int depth = 0; depth < length; depth++)
            {
                int bit = (int)((prefix >> (bits - 1 - depth)) & 1);
                if (depth == length - 1)
                {
                    nodes[node][bit] = Data(dataIndex);
                    break;
                }

                if (nodes[node][bit] < 0)
                {
                    // Empty, or a shorter network's record that the longer one splits.
                    long inherited = nodes[node][bit];
                    nodes.Add([inherited, inherited]);
                    nodes[node][bit] = nodes.Count - 1;
                }

                node = (int)nodes[node][bit];
            }
        }

        var data = new List<byte>(new byte[paddingBytes]);
        var offsets = new List<long>();
        foreach (object record in records)
        {
            offsets.Add(data.Count);
            Encode(data, record);
        }

        long nodeCount = nodes.Count;
        var file = new List<byte>();
        foreach (long[] node in nodes)
        {
            long RecordValue(long child) => child switch
            {
                >= 0 => child,
                Empty => nodeCount,
                _ => nodeCount + 16 + offsets[DataIndex(child)],
            };

            WriteNode(file, recordSize, RecordValue(node[0]), RecordValue(node[1]));
        }

        file.AddRange(new byte[16]);
        file.AddRange(data);
        file.AddRange(MetadataMarker);
        file.AddRange(Metadata(ipVersion, recordSize, databaseType, nodeCount, languagesByPointer ? 0 : null));
        if (languagesByPointer)
        {
            // Pointers in the metadata section count from its start; point at the "en" key written for the description.
            byte[] first = Metadata(ipVersion, recordSize, databaseType, nodeCount, 0);
            int en = first.AsSpan().IndexOf("Ben"u8);
            file.RemoveRange(file.Count - first.Length, first.Length);
            file.AddRange(Metadata(ipVersion, recordSize, databaseType, nodeCount, en));
        }

        return [.. file];
    }

    private static byte[] Metadata(int ipVersion, int recordSize, string databaseType, long nodeCount, int? languagePointer)
    {
        var metadata = new List<byte>();
        Encode(metadata, new Dictionary<string, object>
        {
            ["binary_format_major_version"] = 2,
            ["binary_format_minor_version"] = 0,
            ["build_epoch"] = 1_764_201_600UL, // 2025-11-27T00:00:00Z
            ["database_type"] = databaseType,
            ["description"] = new Dictionary<string, object> { ["en"] = "Listening Together test database" },
            ["ip_version"] = ipVersion,
            ["languages"] = languagePointer is int pointer ? new Pointer(pointer) : new[] { "en" },
            ["node_count"] = nodeCount,
            ["record_size"] = recordSize,
        });
        return [.. metadata];
    }

    /// <summary>A one-element array whose element is a pointer (11-bit offset).</summary>
    private sealed record Pointer(int Offset);

    /// <summary>A City record with only the given parts; null leaves a part out.</summary>
    public static Dictionary<string, object> CityRecord(long? geonameId, string? englishName, string? country, double? lat, double? lon, int? accuracyRadius)
    {
        var record = new Dictionary<string, object>();
        if (geonameId is not null || englishName is not null)
        {
            var city = new Dictionary<string, object>();
            if (geonameId is long id)
            {
                city["geoname_id"] = id;
            }

            if (englishName is not null)
            {
                city["names"] = new Dictionary<string, object> { ["en"] = englishName, ["de"] = englishName + " (de)" };
            }

            record["city"] = city;
        }

        if (country is not null)
        {
            record["country"] = new Dictionary<string, object> { ["iso_code"] = country, ["geoname_id"] = 1L };
        }

        var location = new Dictionary<string, object>();
        if (lat is double la)
        {
            location["latitude"] = la;
        }

        if (lon is double lo)
        {
            location["longitude"] = lo;
        }

        if (accuracyRadius is int radius)
        {
            location["accuracy_radius"] = radius;
        }

        if (location.Count > 0)
        {
            location["time_zone"] = "Etc/UTC";
            record["location"] = location;
        }

        return record;
    }

    private const long Empty = -1;

    private static long Data(int index) => -2 - index;

    private static int DataIndex(long child) => (int)(-2 - child);

    private static (UInt128 Prefix, int Length) Prefix(string cidr, int bits)
    {
        IPNetwork network = IPNetwork.Parse(cidr);
        byte[] address = network.BaseAddress.GetAddressBytes();
        if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
        {
            uint v4 = BinaryPrimitives.ReadUInt32BigEndian(address);
            return bits == 32 ? (v4, network.PrefixLength) : ((UInt128)v4, 96 + network.PrefixLength);
        }

        if (bits == 32)
        {
            throw new ArgumentException($"An IPv4 database cannot hold {cidr}.", nameof(cidr));
        }

        return (BinaryPrimitives.ReadUInt128BigEndian(address), network.PrefixLength);
    }

    private static void WriteNode(List<byte> file, int recordSize, long left, long right)
    {
        switch (recordSize)
        {
            case 24:
                Check(left, 24);
                Check(right, 24);
                file.AddRange([(byte)(left >> 16), (byte)(left >> 8), (byte)left, (byte)(right >> 16), (byte)(right >> 8), (byte)right]);
                break;
            case 28:
                Check(left, 28);
                Check(right, 28);
                file.AddRange([
                    (byte)(left >> 16), (byte)(left >> 8), (byte)left,
                    (byte)(((left >> 24) << 4) | (right >> 24)),
                    (byte)(right >> 16), (byte)(right >> 8), (byte)right]);
                break;
            case 32:
                Check(left, 32);
                Check(right, 32);
                file.AddRange([
                    (byte)(left >> 24), (byte)(left >> 16), (byte)(left >> 8), (byte)left,
                    (byte)(right >> 24), (byte)(right >> 16), (byte)(right >> 8), (byte)right]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(recordSize), recordSize, "24, 28 or 32.");
        }
    }

    private static void Check(long value, int bits)
    {
        if (value >= 1L << bits)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Does not fit {bits} bits.");
        }
    }

    private static void Encode(List<byte> output, object value)
    {
        switch (value)
        {
            case string s:
                byte[] utf8 = Encoding.UTF8.GetBytes(s);
                Control(output, 2, utf8.Length);
                output.AddRange(utf8);
                break;
            case double d:
                Control(output, 3, 8);
                output.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(d))));
                break;
            case int u16:
                Unsigned(output, 5, (ulong)u16);
                break;
            case long u32:
                Unsigned(output, 6, (ulong)u32);
                break;
            case ulong u64:
                Unsigned(output, 9, u64);
                break;
            case bool b:
                Control(output, 14, b ? 1 : 0);
                break;
            case Dictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(output, key);
                    Encode(output, item);
                }

                break;
            case Pointer pointer:
                Control(output, 11, 1);
                output.Add((byte)(0x20 | (pointer.Offset >> 8)));
                output.Add((byte)pointer.Offset);
                break;
            case string[] array:
                Control(output, 11, array.Length);
                foreach (string item in array)
                {
                    Encode(output, item);
                }

                break;
            default:
                throw new ArgumentException($"Cannot encode a {value.GetType()}.", nameof(value));
        }
    }

    private static void Unsigned(List<byte> output, int type, ulong value)
    {
        var bytes = new List<byte>();
        for (ulong v = value; v != 0; v >>= 8)
        {
            bytes.Insert(0, (byte)v);
        }

        Control(output, type, bytes.Count);
        output.AddRange(bytes);
    }

    private static void Control(List<byte> output, int type, int size)
    {
        if (size >= 29 + 256)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Keep test values short.");
        }

        int sizeBits = size < 29 ? size : 29;
        if (type <= 7)
        {
            output.Add((byte)((type << 5) | sizeBits));
        }
        else
        {
            output.Add((byte)sizeBits);
            output.Add((byte)(type - 7));
        }

        if (size >= 29)
        {
            output.Add((byte)(size - 29));
        }
    }
}
