using System.Net;

namespace ListeningTogether.Simulator;

/// <summary>The IP address of a simulated play, kept as a number and formatted without allocating.</summary>
public readonly record struct SimulatedIp(SimulatedIpKind Kind, UInt128 Value)
{
    /// <summary>Longest text: a full IPv6 address, eight groups of four hex digits.</summary>
    public const int MaxTextLength = 39;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    public static SimulatedIp Null => new(SimulatedIpKind.Null, UInt128.Zero);

    public static SimulatedIp Empty => new(SimulatedIpKind.Empty, UInt128.Zero);

    public static SimulatedIp V4(uint address) => new(SimulatedIpKind.IPv4, address);

    public static SimulatedIp V6(UInt128 address) => new(SimulatedIpKind.IPv6, address);

    public bool HasAddress => Kind is SimulatedIpKind.IPv4 or SimulatedIpKind.IPv6;

    /// <summary>The address as an <see cref="IPAddress"/>, or null when anonymized.</summary>
    public IPAddress? ToIPAddress() => Kind switch
    {
        SimulatedIpKind.IPv4 => new IPAddress(V4Bytes((uint)Value)),
        SimulatedIpKind.IPv6 => new IPAddress(V6Bytes(Value)),
        _ => null,
    };

    /// <summary>The text of the <c>ip</c> field: dotted quad, RFC 5952 IPv6, "" or null.</summary>
    public override string? ToString()
    {
        if (Kind == SimulatedIpKind.Null)
        {
            return null;
        }

        Span<byte> text = stackalloc byte[MaxTextLength];
        return System.Text.Encoding.ASCII.GetString(text[..Format(text)]);
    }

    /// <summary>Writes the address text (nothing for an anonymized one) and returns its length.</summary>
    public int Format(Span<byte> destination) => Kind switch
    {
        SimulatedIpKind.IPv4 => FormatV4((uint)Value, destination),
        SimulatedIpKind.IPv6 => FormatV6(Value, destination),
        _ => 0,
    };

    internal static byte[] V4Bytes(uint address) =>
        [(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address];

    internal static byte[] V6Bytes(UInt128 address)
    {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            bytes[i] = (byte)(address >> (120 - (8 * i)));
        }

        return bytes;
    }

    private static int FormatV4(uint address, Span<byte> destination)
    {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            int octet = (int)(address >> shift) & 0xFF;
            if (octet >= 100)
            {
                destination[n++] = (byte)('0' + (octet / 100));
            }

            if (octet >= 10)
            {
                destination[n++] = (byte)('0' + (octet / 10 % 10));
            }

            destination[n++] = (byte)('0' + (octet % 10));
            if (shift > 0)
            {
                destination[n++] = (byte)'.';
            }
        }

        return n;
    }

    /// <summary>RFC 5952: lower-case hex, no leading zeros, the longest (first) run of two or more zero groups as "::".</summary>
    private static int FormatV6(UInt128 address, Span<byte> destination)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = (ushort)(address >> (112 - (16 * i)));
        }

        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8;)
        {
            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }

            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }

            i = j == i ? i + 1 : j;
        }

        int n = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[n++] = (byte)':';
                destination[n++] = (byte)':';
                i += bestLength - 1;
                continue;
            }

            if (i > 0 && i != bestStart + bestLength)
            {
                destination[n++] = (byte)':';
            }

            ushort group = groups[i];
            bool started = false;
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                int digit = (group >> shift) & 0xF;
                if (started || digit != 0 || shift == 0)
                {
                    destination[n++] = HexDigits[digit];
                    started = true;
                }
            }
        }

        return n;
    }
}
