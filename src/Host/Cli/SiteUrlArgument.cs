using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Host.Cli;

/// <summary><c>--site-url URL</c> of <c>replay</c> and <c>merge</c>: the live site whose playback each minute of <c>report.html</c> links to.</summary>
internal static class SiteUrlArgument
{
    public const string Name = "--site-url";

    public static string Description => "Link each minute of report.html's co-play chart to this site's playback of it (URL/#at=TIME&speed=1); an absolute http or https URL, e.g. http://localhost:8080";

    /// <returns>The site, or null when the option is not given.</returns>
    /// <exception cref="SettingsException">The text is not a site's URL; the message names the option, the text and why.</exception>
    public static PlaybackSite? Parse(string? text) =>
        text is null ? null
        : PlaybackSite.TryCreate(text, out PlaybackSite? site, out string? problem) ? site
        : throw new SettingsException($"{Name} '{text}': {problem}");
}
