namespace ListeningTogether.Pipeline.Net;

/// <summary>
/// Parses IP address text strictly: IPv4 only as four decimal octets 0-255 without leading zeros; IPv6 in the
/// RFC 4291 text forms (full, "::"-compressed, trailing dotted quad) without a zone index or brackets.
/// </summary>
public static class StrictIpParser
{
    public static bool TryParse(ReadOnlySpan<byte> text, out IpAddress128 address)
    {
        address = default;
        if (text.IndexOf((byte)':') < 0)
        {
            if (!TryParseV4(text, out uint v4))
            {
                return false;
            }

            address = IpAddress128.FromV4(v4);
            return true;
        }

        if (!TryParseV6(text, out UInt128 v6))
        {
            return false;
        }

        address = new IpAddress128(v6, false);
        return true;
    }

    public static bool TryParseV4(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        int octets = 0;
        int i = 0;
        while (true)
        {
            int start = i;
            int octet = 0;
            while (i < text.Length && i - start < 4 && (uint)(text[i] - '0') <= 9)
            {
                octet = (octet * 10) + (text[i] - '0');
                i++;
            }

            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
            octets++;
            if (octets == 4)
            {
                return i == text.Length;
            }

            if (i >= text.Length || text[i] != '.')
            {
                return false;
            }

            i++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<byte> text, out UInt128 value)
    {
        value = 0;
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int compressAt = -1;
        int i = 0;

        if (text.StartsWith("::"u8))
        {
            compressAt = 0;
            i = 2;
            if (i == text.Length)
            {
                return true;
            }
        }
        else if (text.Length > 0 && text[0] == ':')
        {
            return false;
        }

        while (i < text.Length)
        {
            if (count == 8)
            {
                return false;
            }

            int start = i;
            int group = 0;
            while (i < text.Length && i - start < 5 && HexValue(text[i]) is int h and >= 0)
            {
                group = (group << 4) | h;
                i++;
            }

            int digits = i - start;
            if (i < text.Length && text[i] == '.')
            {
                // A dotted quad may only end the address and fills the last two groups.
                if (count > 6 || !TryParseV4(text[start..], out uint v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = text.Length;
                break;
            }

            if (digits == 0 || digits > 4)
            {
                return false;
            }

            groups[count++] = (ushort)group;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (compressAt >= 0)
                {
                    return false;
                }

                compressAt = count;
                i++;
                if (i == text.Length)
                {
                    break;
                }
            }
            else if (i == text.Length)
            {
                return false;
            }
        }

        if (compressAt < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        int tail = compressAt < 0 ? 0 : count - compressAt;
        int head = count - tail;
        for (int g = 0; g < head; g++)
        {
            value = (value << 16) | groups[g];
        }

        value <<= 16 * (8 - head);
        for (int g = 0; g < tail; g++)
        {
            value |= (UInt128)groups[head + g] << (16 * (tail - 1 - g));
        }

        return true;
    }

    /// <summary>A hex digit's value, or -1: one table read (the parser's hottest step on IPv6 text).</summary>
    private static int HexValue(byte c) => HexDigits[c];

    private static ReadOnlySpan<sbyte> HexDigits =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
        -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    ];
}
