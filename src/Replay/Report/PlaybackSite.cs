using System.Diagnostics.CodeAnalysis;

namespace ListeningTogether.Replay.Report;

/// <summary>
/// The live site whose playback the report's minutes link to. A minute's link is the page's own URL for a moment,
/// <c>SITE/#at=2026-11-26T14:05:00Z&amp;speed=1</c>: a plain navigation, so the report still loads nothing.
/// </summary>
public sealed class PlaybackSite
{
    private PlaybackSite(string page) => Page = page;

    /// <summary>The site's page, as every link starts: scheme, host, port, path (ending in <c>/</c>) and query.</summary>
    public string Page { get; }

    /// <summary>An absolute http or https URL without user information or a fragment (the links set their own).</summary>
    /// <param name="problem">Why <paramref name="url"/> cannot be a site, when it cannot.</param>
    public static bool TryCreate(string? url, [NotNullWhen(true)] out PlaybackSite? site, [NotNullWhen(false)] out string? problem)
    {
        site = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            problem = "not an absolute http or https URL (say http://localhost:8080)";
            return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            problem = "it holds a user name or password, which every reader of report.html would see";
            return false;
        }

        if (uri.Fragment.Length > 0)
        {
            problem = "it has a fragment (#...); the links add their own, #at=TIME&speed=1";
            return false;
        }

        string path = uri.GetLeftPart(UriPartial.Path);
        site = new PlaybackSite((path.EndsWith('/') ? path : path + "/") + uri.Query);
        problem = null;
        return true;
    }

    /// <summary>The site playing back from <paramref name="minuteStartMs"/> (a whole minute) at 1x.</summary>
    public string LinkTo(long minuteStartMs) => $"{Page}#at={Html.Time(minuteStartMs, "yyyy-MM-dd'T'HH':'mm':00Z'")}&speed=1";
}
