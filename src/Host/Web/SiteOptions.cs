using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Host.Web;

/// <summary>Settings of the <c>Site</c> section: who may connect and how much.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>Origins allowed to open the hub besides the site's own (e.g. https://example.org); "*" allows any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Addresses of proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (e.g. 203.0.113.7).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation (e.g. 10.0.0.0/8).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Hub connections one client address may hold at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 20;

    /// <summary>Hub connects (negotiate, or a WebSocket opened without it) one client address may make in a minute.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectsPerMinutePerAddress { get; set; } = 60;

    /// <summary>How much of the recent past a viewer who connects gets at once.</summary>
    [Range(0, 3600)]
    public int RecentSeconds { get; set; } = 60;

    /// <summary>At most this many of the newest recent co-plays are kept and sent to a viewer who connects.</summary>
    [Range(0, 10_000)]
    public int MaxRecentCoPlays { get; set; } = 200;
}
