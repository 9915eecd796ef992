namespace ListeningTogether.Host.Composition;

/// <summary>Settings of the <c>Management</c> section: where operators and the platform reach the process.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Where /metrics, /healthz and /readyz are served instead of on Urls, separated by ';' like Urls; none to serve them on Urls.</summary>
    public string? Urls { get; set; }
}
