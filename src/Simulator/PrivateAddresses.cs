namespace ListeningTogether.Simulator;

/// <summary>Addresses a client behind NAT or on a local link might report: all in DESIGN.md's non-public ranges.</summary>
internal static class PrivateAddresses
{
    private static readonly IpNetwork[] Ranges =
    [
        new(0x0A000000, 8, IsIPv4: true),         // 10.0.0.0/8
        new(0xAC100000, 12, IsIPv4: true),        // 172.16.0.0/12
        new(0xC0A80000, 16, IsIPv4: true),        // 192.168.0.0/16
        new(0xC0A80000, 16, IsIPv4: true),        // home routers: twice as likely
        new(0x64400000, 10, IsIPv4: true),        // 100.64.0.0/10, carrier-grade NAT
        new(new UInt128(0xFE80_0000_0000_0000UL, 0), 64, IsIPv4: false), // fe80::/64, link-local
        new(new UInt128(0xFD00_0000_0000_0000UL, 0), 8, IsIPv4: false),  // fd00::/8, unique local
    ];

    public static SimulatedIp Draw(SimulatorRandom random)
    {
        var range = Ranges[random.Next(Ranges.Length)];
        if (range.IsIPv4)
        {
            return SimulatedIp.V4((uint)range.Start | (uint)random.NextBounded(1UL << range.HostBits));
        }

        UInt128 host = new UInt128(random.NextUInt64(), random.NextUInt64()) & ((UInt128.One << range.HostBits) - 1);
        return SimulatedIp.V6(range.Start | host);
    }
}
