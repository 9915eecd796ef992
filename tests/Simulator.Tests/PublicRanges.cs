using System.Net;

namespace ListeningTogether.Simulator.Tests;

/// <summary>DESIGN.md's non-public ranges plus the IPv6 aliases of IPv4 space, written out again as an independent check.</summary>
internal static class PublicRanges
{
    private static readonly (IPAddress Network, int Prefix)[] LeftOut =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "2001:db8::/32",
            "::ffff:0:0/96", "2002::/16", "2001::/32",
        }.Select(Parse),
    ];

    /// <summary>Whether no address of the network is in a left-out range.</summary>
    public static bool IsPublic(IPAddress first, int prefix) =>
        !LeftOut.Any(r => r.Network.AddressFamily == first.AddressFamily && Overlap(first, prefix, r.Network, r.Prefix));

    private static (IPAddress, int) Parse(string cidr)
    {
        string[] parts = cidr.Split('/');
        return (IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool Overlap(IPAddress a, int aPrefix, IPAddress b, int bPrefix)
    {
        byte[] x = a.GetAddressBytes(), y = b.GetAddressBytes();
        int bits = Math.Min(aPrefix, bPrefix);
        for (int i = 0; i < bits; i++)
        {
            int mask = 0x80 >> (i % 8);
            if ((x[i / 8] & mask) != (y[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
