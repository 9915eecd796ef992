using Microsoft.Extensions.Primitives;

namespace ListeningTogether.Host.Web;

/// <summary>
/// <c>AllowedHosts</c>, ASP.NET Core host filtering's setting: the host names the site answers to, separated by ';',
/// with <c>*.example.org</c> for subdomains and <c>*</c> (the default) for any.
/// </summary>
internal sealed class AllowedHosts
{
    public const string Key = "AllowedHosts";

    private static readonly StringSegment[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly StringSegment[] _listed;

    private AllowedHosts(string[] hosts)
    {
        Hosts = hosts;
        AllowsAny = hosts.Contains("*");
        _listed = [.. hosts.Where(h => h != "*").Select(h => new StringSegment(h))];
    }

    /// <summary>As host filtering takes them; <c>["*"]</c> when the setting is absent or empty.</summary>
    public IReadOnlyList<string> Hosts { get; }

    public bool AllowsAny { get; }

    public static AllowedHosts From(IConfiguration configuration)
    {
        string[] hosts = configuration[Key]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new AllowedHosts(hosts.Length > 0 ? hosts : ["*"]);
    }

    /// <summary>
    /// Whether a page served under <paramref name="host"/> is the site itself. Only a listed host is: with any host
    /// allowed, a page of any name could resolve to this server (DNS rebinding), so only loopback names count.
    /// </summary>
    public bool IsOwnHost(HostString host)
    {
        var name = new StringSegment(host.Host);
        return AllowsAny
            ? HostString.MatchesAny(name, LoopbackNames)
            : HostString.MatchesAny(name, _listed);
    }
}
