namespace ListeningTogether.Simulator;

/// <summary>The few protobuf wire-format reads the GeoNames city list needs.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; private set; }

    public readonly bool AtEnd => Position >= _buffer.Length;

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (Position >= _buffer.Length)
            {
                throw new InvalidDataException("Truncated varint in the protobuf stream.");
            }

            byte b = _buffer[Position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Varint longer than 10 bytes in the protobuf stream.");
    }

    /// <summary>A zigzag-encoded signed varint.</summary>
    public long ReadSVarint()
    {
        ulong raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        int length = checked((int)ReadVarint());
        if (length > _buffer.Length - Position)
        {
            throw new InvalidDataException("A length-delimited protobuf field runs past the end of the stream.");
        }

        var bytes = _buffer.Slice(Position, length);
        Position += length;
        return bytes;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Position += 8; break;
            case 2: ReadBytes(); break;
            case 5: Position += 4; break;
            default: throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
        }
    }
}
