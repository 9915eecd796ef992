using System.Buffers.Binary;
using System.Text;

namespace ListeningTogether.Simulator;

/// <summary>
/// Reads just enough of the MaxMind DB data-section format to pick a few fields out of a record without
/// materializing it: follow pointers, find a key in a map, read numbers and strings, skip everything else.
/// Offsets are relative to the section start (pointers are too).
/// </summary>
internal readonly struct MmdbData(byte[] bytes, int sectionStart)
{
    private const int Pointer = 1;
    private const int Utf8String = 2;
    private const int Double = 3;
    private const int Bytes = 4;
    private const int UInt16 = 5;
    private const int UInt32 = 6;
    private const int Map = 7;
    private const int Int32 = 8;
    private const int UInt64 = 9;
    private const int UInt128 = 10;
    private const int Array = 11;
    private const int Boolean = 14;
    private const int Float = 15;

    /// <summary>Finds <paramref name="key"/> in the map at <paramref name="mapOffset"/>; returns the offset of its value, pointers followed.</summary>
    public bool TryFindKey(int mapOffset, ReadOnlySpan<byte> key, out int valueOffset)
    {
        var map = ReadControl(Resolve(mapOffset));
        valueOffset = -1;
        if (map.Type != Map)
        {
            return false;
        }

        int offset = map.Payload;
        for (int i = 0; i < map.Size; i++)
        {
            var keyControl = ReadControl(Resolve(offset));
            offset = Skip(offset);
            if (keyControl.Type == Utf8String && Slice(keyControl).SequenceEqual(key))
            {
                valueOffset = Resolve(offset);
                return true;
            }

            offset = Skip(offset);
        }

        return false;
    }

    /// <summary>Reads an unsigned or signed integer type of at most 64 bits.</summary>
    public bool TryReadInteger(int offset, out long value)
    {
        var control = ReadControl(Resolve(offset));
        value = 0;
        if (control.Type is not (UInt16 or UInt32 or Int32 or UInt64) || control.Size > 8)
        {
            return false;
        }

        foreach (byte b in Slice(control))
        {
            value = (value << 8) | b;
        }

        if (control.Type == Int32 && control.Size == 4)
        {
            value = (int)value;
        }

        return value >= 0 || control.Type == Int32;
    }

    public bool TryReadDouble(int offset, out double value)
    {
        var control = ReadControl(Resolve(offset));
        value = control switch
        {
            { Type: Double, Size: 8 } => BinaryPrimitives.ReadDoubleBigEndian(Slice(control)),
            { Type: Float, Size: 4 } => BinaryPrimitives.ReadSingleBigEndian(Slice(control)),
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }

    public string? ReadString(int offset)
    {
        var control = ReadControl(Resolve(offset));
        return control.Type == Utf8String ? Encoding.UTF8.GetString(Slice(control)) : null;
    }

    /// <summary>The offset of the value a pointer at <paramref name="offset"/> refers to, or the offset itself.</summary>
    private int Resolve(int offset)
    {
        var control = ReadControl(offset);
        return control.Type == Pointer ? control.Size : offset;
    }

    /// <summary>The offset just past the value at <paramref name="offset"/> (a pointer is skipped, not followed).</summary>
    private int Skip(int offset)
    {
        var control = ReadControl(offset);
        switch (control.Type)
        {
            case Pointer:
            case Boolean:
                return control.Payload;
            case Utf8String or Double or Bytes or UInt16 or UInt32 or Int32 or UInt64 or UInt128 or Float:
                return control.Payload + control.Size;
            case Map:
            case Array:
                int next = control.Payload;
                int items = control.Type == Map ? control.Size * 2 : control.Size;
                for (int i = 0; i < items; i++)
                {
                    next = Skip(next);
                }

                return next;
            default:
                throw new InvalidDataException($"Unsupported MaxMind DB data type {control.Type} at data offset {offset}.");
        }
    }

    private ReadOnlySpan<byte> Slice(Control control) => bytes.AsSpan(sectionStart + control.Payload, control.Size);

    /// <summary>Decodes a control byte. For a pointer, Size is the target offset and Payload the offset after the pointer.</summary>
    private Control ReadControl(int offset)
    {
        int p = sectionStart + offset;
        int control = bytes[p++];
        int type = control >> 5;
        if (type == Pointer)
        {
            int sizeBits = (control >> 3) & 3;
            int high = control & 7;
            int target = sizeBits switch
            {
                0 => (high << 8) | bytes[p],
                1 => ((high << 16) | (bytes[p] << 8) | bytes[p + 1]) + 2048,
                2 => ((high << 24) | (bytes[p] << 16) | (bytes[p + 1] << 8) | bytes[p + 2]) + 526336,
                _ => (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(p, 4)),
            };
            return new Control(Pointer, target, offset + 2 + sizeBits);
        }

        if (type == 0)
        {
            type = 7 + bytes[p++];
        }

        int size = control & 0x1F;
        switch (size)
        {
            case 29:
                size = 29 + bytes[p++];
                break;
            case 30:
                size = 285 + ((bytes[p] << 8) | bytes[p + 1]);
                p += 2;
                break;
            case 31:
                size = 65821 + ((bytes[p] << 16) | (bytes[p + 1] << 8) | bytes[p + 2]);
                p += 3;
                break;
        }

        return new Control(type, size, p - sectionStart);
    }

    private readonly record struct Control(int Type, int Size, int Payload);
}
