using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// <c>Management:Urls</c>: Kestrel listens there besides <c>Urls</c>, and a request belongs to the management port
/// when it arrived on one of its ports. Each management URL needs a port of its own (not 0, none of Urls' ports),
/// so the port alone tells the two apart whatever address a client used.
/// </summary>
internal sealed class ManagementPort
{
    private static readonly string Key = $"{ManagementOptions.Section}:{nameof(ManagementOptions.Urls)}";

    private readonly HashSet<int> _ports;

    private ManagementPort(string? urls, HashSet<int> ports)
    {
        Urls = urls;
        _ports = ports;
    }

    /// <summary>The management URLs as given, or null when /metrics, /healthz and /readyz are served on Urls.</summary>
    public string? Urls { get; }

    public bool IsSeparate => Urls is not null;

    /// <exception cref="SettingsException">Management:Urls is not a list of http URLs with ports of their own.</exception>
    public static ManagementPort From(IConfiguration configuration, string siteUrls)
    {
        string? urls = ValidatedOptions.Bind<ManagementOptions>(configuration, ManagementOptions.Section).Urls;
        if (string.IsNullOrWhiteSpace(urls))
        {
            return new ManagementPort(null, []);
        }

        HashSet<int> sitePorts = [.. Split(siteUrls).Select(TryParse).OfType<BindingAddress>().Select(a => a.Port)];
        HashSet<int> ports = [];
        foreach (string url in Split(urls))
        {
            BindingAddress address = TryParse(url) ?? throw Invalid(url, "is not a URL like http://+:9090");
            if (address.IsUnixPipe || !string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(url, "is not an http URL with a host and port (like http://+:9090)");
            }

            if (address.Port is <= 0 or > 65535)
            {
                throw Invalid(url, "needs a port from 1 to 65535");
            }

            if (sitePorts.Contains(address.Port))
            {
                throw Invalid(url, $"uses port {address.Port} of Urls; the management port must be a port of its own");
            }

            ports.Add(address.Port);
        }

        return ports.Count == 0 ? throw Invalid(urls, "names no URL") : new ManagementPort(urls, ports);
    }

    /// <summary>Whether the request arrived on a management port (always false while there is none).</summary>
    public bool Serves(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    private static string[] Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static BindingAddress? TryParse(string url)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static SettingsException Invalid(string url, string problem) => new($"Invalid setting {Key}: '{url}' {problem}.");
}
