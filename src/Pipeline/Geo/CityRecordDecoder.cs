using System.Buffers.Binary;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// Decodes the fields <see cref="CityGeo"/> needs (city geoname_id and names.en, country iso_code, location latitude,
/// longitude and accuracy_radius) straight from a record's data offset in a MaxMind DB data section: no second tree
/// walk and no reflection, as MaxMind.Db's reader would take. Every other value is skipped by its size; pointers are
/// followed. Data that breaks the format is a <see cref="GeoDatabaseException"/> saying the data section is corrupt.
/// </summary>
internal readonly ref struct CityRecordDecoder
{
    private const int Pointer = 1, Utf8String = 2, Double = 3, Bytes = 4, UInt16 = 5, UInt32 = 6, Map = 7, Int32 = 8,
        UInt64 = 9, UInt128 = 10, Array = 11, Boolean = 14, Float = 15;

    // Far deeper than any real record; only a crafted file nests this deep, and it must not exhaust the stack.
    private const int MaxNesting = 64;

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _path;

    /// <param name="data">The data section (from just after the 16-byte separator to the end of the file).</param>
    public CityRecordDecoder(ReadOnlySpan<byte> data, string path)
    {
        _data = data;
        _path = path;
    }

    public CityGeo Decode(int offset)
    {
        long? geonameId = null;
        string? city = null, country = null;
        double? lat = null, lon = null;
        int? radius = null;
        int pos = offset;
        int size = EnterMap(ref pos, out _);
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<byte> key = Key(ref pos);
            if (key.SequenceEqual("city"u8))
            {
                DecodeCity(ref pos, ref geonameId, ref city);
            }
            else if (key.SequenceEqual("country"u8))
            {
                DecodeCountry(ref pos, ref country);
            }
            else if (key.SequenceEqual("location"u8))
            {
                DecodeLocation(ref pos, ref lat, ref lon, ref radius);
            }
            else
            {
                Skip(ref pos, 0);
            }
        }

        Location? location = geonameId is long id && lat is double la && lon is double lo ? new Location(id, city, country, la, lo) : null;
        return new CityGeo(location, radius);
    }

    private void DecodeCity(ref int pos, ref long? geonameId, ref string? name)
    {
        int size = EnterMap(ref pos, out int resume);
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<byte> key = Key(ref pos);
            if (key.SequenceEqual("geoname_id"u8))
            {
                geonameId = (long)Unsigned(ref pos, long.MaxValue);
            }
            else if (key.SequenceEqual("names"u8))
            {
                name = English(ref pos);
            }
            else
            {
                Skip(ref pos, 1);
            }
        }

        if (resume >= 0)
        {
            pos = resume;
        }
    }

    private string? English(ref int pos)
    {
        string? english = null;
        int size = EnterMap(ref pos, out int resume);
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<byte> key = Key(ref pos);
            if (key.SequenceEqual("en"u8))
            {
                english = Text(ref pos);
            }
            else
            {
                Skip(ref pos, 2);
            }
        }

        if (resume >= 0)
        {
            pos = resume;
        }
        return english;
    }

    private void DecodeCountry(ref int pos, ref string? isoCode)
    {
        int size = EnterMap(ref pos, out int resume);
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<byte> key = Key(ref pos);
            if (key.SequenceEqual("iso_code"u8))
            {
                isoCode = Text(ref pos);
            }
            else
            {
                Skip(ref pos, 1);
            }
        }

        if (resume >= 0)
        {
            pos = resume;
        }
    }

    private void DecodeLocation(ref int pos, ref double? lat, ref double? lon, ref int? radius)
    {
        int size = EnterMap(ref pos, out int resume);
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<byte> key = Key(ref pos);
            if (key.SequenceEqual("latitude"u8))
            {
                lat = Number(ref pos);
            }
            else if (key.SequenceEqual("longitude"u8))
            {
                lon = Number(ref pos);
            }
            else if (key.SequenceEqual("accuracy_radius"u8))
            {
                radius = (int)Unsigned(ref pos, int.MaxValue);
            }
            else
            {
                Skip(ref pos, 1);
            }
        }

        if (resume >= 0)
        {
            pos = resume;
        }
    }

    /// <summary>
    /// Reads a value's control bytes, following a pointer: <paramref name="pos"/> is then at the value's payload, and
    /// <paramref name="resume"/> where the enclosing structure continues once it is read (-1: right after the payload).
    /// </summary>
    private (int Type, int Size) Value(ref int pos, out int resume)
    {
        var (type, size) = Control(ref pos);
        resume = -1;
        if (type == Pointer)
        {
            resume = pos;
            pos = size;
            (type, size) = Control(ref pos);
            if (type == Pointer)
            {
                throw Corrupt($"a pointer at offset {pos} points to another pointer");
            }
        }

        return (type, size);
    }

    private int EnterMap(ref int pos, out int resume)
    {
        var (type, size) = Value(ref pos, out resume);
        if (type != Map)
        {
            throw Corrupt($"a map was expected at offset {pos}, found type {type}");
        }

        return size;
    }

    private ReadOnlySpan<byte> Key(ref int pos)
    {
        var (type, size) = Value(ref pos, out int resume);
        if (type != Utf8String)
        {
            throw Corrupt($"a map key at offset {pos} is of type {type}, not a string");
        }

        ReadOnlySpan<byte> key = Take(ref pos, size);
        if (resume >= 0)
        {
            pos = resume;
        }

        return key;
    }

    private string Text(ref int pos)
    {
        var (type, size) = Value(ref pos, out int resume);
        if (type != Utf8String)
        {
            throw Corrupt($"a string was expected at offset {pos}, found type {type}");
        }

        string text = Encoding.UTF8.GetString(Take(ref pos, size));
        if (resume >= 0)
        {
            pos = resume;
        }

        return text;
    }

    private ulong Unsigned(ref int pos, ulong max)
    {
        var (type, size) = Value(ref pos, out int resume);
        if (type is not (UInt16 or UInt32 or UInt64 or Int32) || size > 8 || (type == Int32 && size > 4))
        {
            throw Corrupt($"an unsigned integer was expected at offset {pos}, found type {type} of {size} bytes");
        }

        ulong value = 0;
        foreach (byte b in Take(ref pos, size))
        {
            value = (value << 8) | b;
        }

        if (resume >= 0)
        {
            pos = resume;
        }

        return value > max || (type == Int32 && size == 4 && (int)value < 0)
            ? throw Corrupt($"an integer at offset {pos} is out of range")
            : value;
    }

    private double Number(ref int pos)
    {
        var (type, size) = Value(ref pos, out int resume);
        double value = (type, size) switch
        {
            (Double, 8) => BinaryPrimitives.ReadDoubleBigEndian(Take(ref pos, 8)),
            (Float, 4) => BinaryPrimitives.ReadSingleBigEndian(Take(ref pos, 4)),
            _ => throw Corrupt($"a double was expected at offset {pos}, found type {type} of {size} bytes"),
        };
        if (resume >= 0)
        {
            pos = resume;
        }

        return value;
    }

    /// <summary>Moves past a value without decoding it (a pointer: past the pointer only).</summary>
    private void Skip(ref int pos, int nesting)
    {
        if (nesting > MaxNesting)
        {
            throw Corrupt($"values nest deeper than {MaxNesting} levels at offset {pos}");
        }

        var (type, size) = Control(ref pos);
        switch (type)
        {
            case Pointer:
            case Boolean:
                break;
            case Map:
                for (int i = 0; i < size * 2; i++)
                {
                    Skip(ref pos, nesting + 1);
                }

                break;
            case Array:
                for (int i = 0; i < size; i++)
                {
                    Skip(ref pos, nesting + 1);
                }

                break;
            case Double when size != 8:
            case Float when size != 4:
                throw Corrupt($"a number at offset {pos} has {size} bytes");
            case Utf8String or Double or Bytes or UInt16 or UInt32 or Int32 or UInt64 or UInt128 or Float:
                Take(ref pos, size);
                break;
            default:
                throw Corrupt($"unknown data type {type} at offset {pos}");
        }
    }

    /// <summary>A control byte and its extensions; of a pointer, the type and the data offset it points to.</summary>
    private (int Type, int Size) Control(ref int pos)
    {
        byte control = Next(ref pos);
        int type = control >> 5;
        if (type == Pointer)
        {
            int high = control & 0x7;
            int target = ((control >> 3) & 0x3) switch
            {
                0 => (high << 8) | Next(ref pos),
                1 => ((high << 16) | (Next(ref pos) << 8) | Next(ref pos)) + 2048,
                2 => ((high << 24) | (Next(ref pos) << 16) | (Next(ref pos) << 8) | Next(ref pos)) + 526336,
                _ => (int)BinaryPrimitives.ReadUInt32BigEndian(Take(ref pos, 4)),
            };
            if (target < 0 || target >= _data.Length)
            {
                throw Corrupt($"a pointer at offset {pos} points outside the data section");
            }

            return (Pointer, target);
        }

        if (type == 0)
        {
            type = 7 + Next(ref pos);
        }

        int size = (control & 0x1F) switch
        {
            29 => 29 + Next(ref pos),
            30 => 285 + ((Next(ref pos) << 8) | Next(ref pos)),
            31 => 65821 + ((Next(ref pos) << 16) | (Next(ref pos) << 8) | Next(ref pos)),
            int s => s,
        };
        return (type, size);
    }

    private byte Next(ref int pos) => Take(ref pos, 1)[0];

    private ReadOnlySpan<byte> Take(ref int pos, int count)
    {
        if (pos < 0 || count > _data.Length - pos)
        {
            throw Corrupt($"a value at offset {pos} runs past the end of the data section");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(pos, count);
        pos += count;
        return bytes;
    }

    private GeoDatabaseException Corrupt(string why) => new(_path, $"its data section is corrupt ({why})");
}
