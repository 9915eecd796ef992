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

    /// <summary>
    /// Names this replica's results subscription and push group (DESIGN.md "One world view"); unset: <c>HOSTNAME</c>,
    /// else machine name, process id and 4 random characters (see <see cref="SiteReplica"/>).
    /// </summary>
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$", ErrorMessage = "must be 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit.")]
    public string? ReplicaName { get; set; }

    /// <summary>How long a window waits for every match shard's watermark before it is shown anyway (and counted as incomplete).</summary>
    [Range(0, 600_000)]
    public int CompletenessTimeoutMs { get; set; } = 5000;
}
