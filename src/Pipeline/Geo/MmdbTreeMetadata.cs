using System.Text;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// The search-tree facts of a MaxMind DB file's metadata (node count, record size, IP version), which
/// MaxMind.Db keeps internal. Read from the metadata map after the last "\xAB\xCD\xEFMaxMind.com" marker.
/// </summary>
internal readonly record struct MmdbTreeMetadata(uint NodeCount, int RecordSize, int IpVersion)
{
    private static ReadOnlySpan<byte> Marker =>
        [0xAB, 0xCD, 0xEF, (byte)'M', (byte)'a', (byte)'x', (byte)'M', (byte)'i', (byte)'n', (byte)'d', (byte)'.', (byte)'c', (byte)'o', (byte)'m'];

    public static MmdbTreeMetadata Read(byte[] file, string path)
    {
        int start = file.AsSpan().LastIndexOf(Marker);
        if (start < 0)
        {
            throw new GeoDatabaseException(path, "it has no MaxMind DB metadata marker");
        }

        int metadataStart = start + Marker.Length;
        var reader = new Cursor(file, metadataStart, metadataStart, path);
        var (type, size) = reader.Control();
        if (type != 7)
        {
            throw new GeoDatabaseException(path, "its metadata is not a map");
        }

        uint nodeCount = 0;
        int recordSize = 0;
        int ipVersion = 0;
        for (int i = 0; i < size; i++)
        {
            string key = reader.ReadString();
            var (valueType, valueSize) = reader.Control();
            if (valueType == PointerType)
            {
                // A value stored elsewhere in the metadata: read it there.
                Cursor target = reader.Follow(valueSize);
                (valueType, valueSize) = target.Control();
                ReadValue(ref target, key, valueType, valueSize, ref nodeCount, ref recordSize, ref ipVersion);
            }
            else
            {
                ReadValue(ref reader, key, valueType, valueSize, ref nodeCount, ref recordSize, ref ipVersion);
            }
        }

        return new MmdbTreeMetadata(nodeCount, recordSize, ipVersion);
    }

    private const int PointerType = 1;

    private static void ReadValue(ref Cursor cursor, string key, int type, int size, ref uint nodeCount, ref int recordSize, ref int ipVersion)
    {
        switch (key)
        {
            case "node_count":
                nodeCount = (uint)cursor.ReadUnsigned(size);
                break;
            case "record_size":
                recordSize = (int)cursor.ReadUnsigned(size);
                break;
            case "ip_version":
                ipVersion = (int)cursor.ReadUnsigned(size);
                break;
            default:
                cursor.Skip(type, size);
                break;
        }
    }

    private ref struct Cursor(byte[] file, int metadataStart, int position, string path)
    {
        private int _position = position;

        public (int Type, int Size) Control()
        {
            byte control = Next();
            int type = control >> 5;
            if (type == PointerType)
            {
                // The size bits of a pointer are part of its value; Follow reads the rest.
                return (type, control & 0x1F);
            }

            if (type == 0)
            {
                type = 7 + Next();
            }

            int size = control & 0x1F;

            size = size switch
            {
                29 => 29 + Next(),
                30 => 285 + ((Next() << 8) | Next()),
                31 => 65821 + ((Next() << 16) | (Next() << 8) | Next()),
                _ => size,
            };
            return (type, size);
        }

        /// <summary>Reads a pointer's remaining bytes and returns a cursor at its target (offsets count from the metadata start).</summary>
        public Cursor Follow(int sizeBits)
        {
            int high = sizeBits & 0x7;
            int pointer = ((sizeBits >> 3) & 0x3) switch
            {
                0 => (high << 8) | Next(),
                1 => ((high << 16) | (Next() << 8) | Next()) + 2048,
                2 => ((high << 24) | (Next() << 16) | (Next() << 8) | Next()) + 526336,
                _ => (Next() << 24) | (Next() << 16) | (Next() << 8) | Next(),
            };
            if (pointer < 0 || metadataStart + (long)pointer >= file.Length)
            {
                throw new GeoDatabaseException(path, "its metadata has a pointer outside the metadata");
            }

            return new Cursor(file, metadataStart, metadataStart + pointer, path);
        }

        public string ReadString()
        {
            var (type, size) = Control();
            if (type == PointerType)
            {
                return Follow(size).ReadString();
            }

            if (type != 2)
            {
                throw new GeoDatabaseException(path, "its metadata has a non-string key");
            }

            string s = Encoding.UTF8.GetString(Take(size));
            return s;
        }

        public ulong ReadUnsigned(int size)
        {
            ulong value = 0;
            foreach (byte b in Take(size))
            {
                value = (value << 8) | b;
            }

            return value;
        }

        public void Skip(int type, int size)
        {
            switch (type)
            {
                case PointerType:
                    Follow(size);
                    break;
                case 7:
                    for (int i = 0; i < size; i++)
                    {
                        ReadString();
                        var (t, s) = Control();
                        Skip(t, s);
                    }

                    break;
                case 11:
                    for (int i = 0; i < size; i++)
                    {
                        var (t, s) = Control();
                        Skip(t, s);
                    }

                    break;
                case 14:
                    break;
                case 3:
                    Take(8);
                    break;
                case 15:
                    Take(4);
                    break;
                default:
                    Take(size);
                    break;
            }
        }

        private byte Next() => Take(1)[0];

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_position + count > file.Length)
            {
                throw new GeoDatabaseException(path, "its metadata is truncated");
            }

            var span = file.AsSpan(_position, count);
            _position += count;
            return span;
        }
    }
}
