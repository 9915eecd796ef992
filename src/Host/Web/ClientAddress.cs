using System.Net;
using System.Net.Sockets;

namespace ListeningTogether.Host.Web;

/// <summary>
/// The client address the per-address limits count (after forwarded headers from known proxies): an IPv4 address
/// as itself, also when it arrives IPv4-mapped, and an IPv6 address by its /64, the block one subscriber gets.
/// </summary>
internal static class ClientAddress
{
    public static IPAddress Of(HttpContext? context)
    {
        IPAddress? address = context?.Connection.RemoteIpAddress;
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
