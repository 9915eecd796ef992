using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Host.Web;

/// <summary>Settings of the <c>Site</c> section: who may connect and how much.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>Origins allowed to open the hub besides the site's own (e.g. https://example.org); "*" allows any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Hub connections one client address may hold at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 20;

    /// <summary>How much of the recent past a viewer who connects gets at once.</summary>
    [Range(0, 3600)]
    public int RecentSeconds { get; set; } = 60;
}
