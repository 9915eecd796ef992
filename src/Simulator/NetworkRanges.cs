namespace ListeningTogether.Simulator;

/// <summary>Which parts of the address space plays may come from: DESIGN.md's non-public ranges are left out.</summary>
internal static class NetworkRanges
{
    private static readonly (uint Start, int Prefix)[] NonPublicV4 =
    [
        (0x00000000, 8), (0x0A000000, 8), (0x64400000, 10), (0x7F000000, 8), (0xA9FE0000, 16), (0xAC100000, 12),
        (0xC0000000, 24), (0xC0000200, 24), (0xC0A80000, 16), (0xC6120000, 15), (0xC6336400, 24), (0xCB007100, 24),
        (0xE0000000, 4), (0xF0000000, 4),
    ];

    private static readonly UInt128 GlobalUnicast = new(0x2000_0000_0000_0000UL, 0); // 2000::/3
    private static readonly UInt128 Teredo = new(0x2001_0000_0000_0000UL, 0); // 2001::/32
    private static readonly UInt128 Documentation = new(0x2001_0DB8_0000_0000UL, 0); // 2001:db8::/32
    private static readonly UInt128 SixToFour = new(0x2002_0000_0000_0000UL, 0); // 2002::/16

    /// <summary>
    /// Whether a subtree of an IPv6 tree (its top <paramref name="depth"/> bits are <paramref name="prefix"/>) can hold
    /// networks we keep: IPv4 under ::/96 and global unicast 2000::/3, without the 6to4 and Teredo aliases of the IPv4
    /// subtree (::ffff:0:0/96 lies outside both) and the documentation range.
    /// </summary>
    public static bool MayHoldPublicV6(UInt128 prefix, int depth) =>
        (Overlaps(prefix, depth, UInt128.Zero, 96) || Overlaps(prefix, depth, GlobalUnicast, 3))
        && !Within(prefix, depth, Teredo, 32)
        && !Within(prefix, depth, Documentation, 32)
        && !Within(prefix, depth, SixToFour, 16);

    /// <summary>Whether an IPv4 network shares no address with a non-public range.</summary>
    public static bool IsPublicV4(uint start, int prefix)
    {
        if (prefix >= 8 && !IsFirstOctetOfNonPublic((byte)(start >> 24)))
        {
            return true;
        }

        foreach (var (rangeStart, rangePrefix) in NonPublicV4)
        {
            int common = Math.Min(prefix, rangePrefix);
            if (common == 0 || (start >> (32 - common)) == (rangeStart >> (32 - common)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether an IPv6 network lies in global unicast space and shares no address with a left-out range.</summary>
    public static bool IsPublicV6(UInt128 start, int prefix) =>
        Within(start, prefix, GlobalUnicast, 3)
        && !Overlaps(start, prefix, Teredo, 32) && !Overlaps(start, prefix, Documentation, 32) && !Overlaps(start, prefix, SixToFour, 16);

    private static bool IsFirstOctetOfNonPublic(byte octet) => octet is 0 or 10 or 100 or 127 or 169 or 172 or 192 or 198 or 203 or >= 224;

    private static bool Within(UInt128 prefix, int depth, UInt128 range, int rangePrefix) =>
        depth >= rangePrefix && Overlaps(prefix, depth, range, rangePrefix);

    private static bool Overlaps(UInt128 a, int aPrefix, UInt128 b, int bPrefix)
    {
        int common = Math.Min(aPrefix, bPrefix);
        return common == 0 || (a >> (128 - common)) == (b >> (128 - common));
    }
}
