using System.Net;
using System.Net.Sockets;
using ListeningTogether.Host.Configuration;
using IPNetwork = System.Net.IPNetwork;

namespace ListeningTogether.Host.Web;

/// <summary>
/// The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: <c>Site:KnownProxies</c> and
/// <c>Site:KnownNetworks</c> only (not ASP.NET Core's loopback defaults). Through a chain of known proxies the
/// client is the last address that is not one of them, so an address a client puts in the header itself is ignored.
/// </summary>
internal static class KnownProxies
{
    /// <exception cref="SettingsException">An entry is not an IP address or a CIDR network; the message names the key.</exception>
    /// <returns>No options when no proxy is known: the headers are then not read at all.</returns>
    public static ForwardedHeadersOptions? ForwardedHeaders(SiteOptions site)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (string entry in site.KnownProxies)
        {
            options.KnownProxies.Add(ParseAddress(entry));
        }

        foreach (string entry in site.KnownNetworks)
        {
            options.KnownIPNetworks.Add(ParseNetwork(entry));
        }

        // The middleware believes any sender when both lists are empty.
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? null : options;
    }

    private static IPAddress ParseAddress(string entry)
    {
        // IPAddress.TryParse also takes "1" or "10.1" as IPv4; a proxy's address is written out in full.
        string text = entry.Trim();
        if (!IPAddress.TryParse(text, out IPAddress? address)
            || (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            throw new SettingsException($"Invalid setting {SiteOptions.Section}:{nameof(SiteOptions.KnownProxies)}: '{entry}' is not an IP address (e.g. 10.0.0.7 or fd00::7).");
        }

        return address;
    }

    private static IPNetwork ParseNetwork(string entry)
    {
        // TryParse masks host bits away; 10.0.0.1/8 is more likely a mistake than a way to write 10.0.0.0/8.
        string text = entry.Trim();
        if (!IPNetwork.TryParse(text, out IPNetwork network)
            || !IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out IPAddress? written)
            || !written.Equals(network.BaseAddress))
        {
            throw new SettingsException($"Invalid setting {SiteOptions.Section}:{nameof(SiteOptions.KnownNetworks)}: '{entry}' is not a network in CIDR notation with no host bits set (e.g. 10.0.0.0/8 or fd00::/8).");
        }

        return network;
    }
}
