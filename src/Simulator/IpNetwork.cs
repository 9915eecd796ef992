using System.Net;

namespace ListeningTogether.Simulator;

/// <summary>An IPv4 or IPv6 network: its first address (an IPv4 address in the low 32 bits) and prefix length.</summary>
public readonly record struct IpNetwork(UInt128 Start, int PrefixLength, bool IsIPv4)
{
    public int AddressBits => IsIPv4 ? 32 : 128;

    /// <summary>The number of host bits, which vary inside the network.</summary>
    public int HostBits => AddressBits - PrefixLength;

    public IPAddress FirstAddress => IsIPv4 ? new IPAddress(SimulatedIp.V4Bytes((uint)Start)) : new IPAddress(SimulatedIp.V6Bytes(Start));

    public override string ToString() => $"{FirstAddress}/{PrefixLength}";
}
