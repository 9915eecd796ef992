namespace ListeningTogether.Pipeline.Net;

/// <summary>Tells whether an address is public unicast per DESIGN.md's complete list of non-public ranges.</summary>
internal static class PublicAddressClassifier
{
    private static readonly (uint Network, int Prefix)[] NonPublicV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8
        (0x0A000000, 8),   // 10.0.0.0/8
        (0x64400000, 10),  // 100.64.0.0/10
        (0x7F000000, 8),   // 127.0.0.0/8
        (0xA9FE0000, 16),  // 169.254.0.0/16
        (0xAC100000, 12),  // 172.16.0.0/12
        (0xC0000000, 24),  // 192.0.0.0/24
        (0xC0000200, 24),  // 192.0.2.0/24
        (0xC0A80000, 16),  // 192.168.0.0/16
        (0xC6120000, 15),  // 198.18.0.0/15
        (0xC6336400, 24),  // 198.51.100.0/24
        (0xCB007100, 24),  // 203.0.113.0/24
        (0xE0000000, 4),   // 224.0.0.0/4
        (0xF0000000, 4),   // 240.0.0.0/4, which holds 255.255.255.255
    ];

    private static readonly (UInt128 Network, int Prefix)[] NonPublicV6 =
    [
        (UInt128.Zero, 128),                                  // ::/128
        (UInt128.One, 128),                                   // ::1/128
        (new UInt128(0xFC00_0000_0000_0000UL, 0), 7),         // fc00::/7
        (new UInt128(0xFE80_0000_0000_0000UL, 0), 10),        // fe80::/10
        (new UInt128(0xFF00_0000_0000_0000UL, 0), 8),         // ff00::/8
        (new UInt128(0x2001_0DB8_0000_0000UL, 0), 32),        // 2001:db8::/32
    ];

    public static bool IsPublic(IpAddress128 address)
    {
        if (address.IsV4Mapped)
        {
            uint v4 = address.V4;
            foreach (var (network, prefix) in NonPublicV4)
            {
                if ((v4 >> (32 - prefix)) == (network >> (32 - prefix)))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var (network, prefix) in NonPublicV6)
        {
            if ((address.Value >> (128 - prefix)) == (network >> (128 - prefix)))
            {
                return false;
            }
        }

        return true;
    }
}
