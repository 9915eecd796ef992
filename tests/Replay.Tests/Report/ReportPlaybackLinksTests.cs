using System.Text.RegularExpressions;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>
/// <c>report.html</c> with a playback site: each minute of the co-play chart (and of its table) links to the
/// site's playback of that minute, as a plain, encoded, keyboard-reachable link; without a site nothing changes.
/// </summary>
public sealed partial class ReportPlaybackLinksTests
{
    private static readonly long Nine = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static PlaybackSite Site(string url) =>
        PlaybackSite.TryCreate(url, out PlaybackSite? site, out string? problem) ? site : throw new ArgumentException(problem, nameof(url));

    private static ReplaySummary Summary(IReadOnlyList<MinuteTotal> minutes) =>
        new(
            100, 90, 80, 10, new Dictionary<string, long>(), 0, 3, 7, minutes[0].MinuteStartMs, minutes[^1].MinuteStartMs + 59_000,
            new ReplaySettings(1000, 100, 250, null),
            new CityDatabaseInfo("GeoLite2-City", new DateTimeOffset(2026, 9, 18, 4, 49, 38, TimeSpan.Zero)),
            [new InputFileSummary("/data/plays.jsonl", 100)],
            [],
            [new TrackTotal("spotify:track:a", 2, 5)],
            [],
            minutes);

    /// <summary>09:00 with 2 co-plays, 09:01 with none, 09:02 with 1.</summary>
    private static ReplaySummary ThreeMinutes() =>
        Summary([new MinuteTotal(Nine, 50, 2), new MinuteTotal(Nine + 60_000, 30, 0), new MinuteTotal(Nine + 120_000, 20, 1)]);

    private static string Render(ReplaySummary summary, PlaybackSite? site = null)
    {
        using var writer = new StringWriter();
        ReportHtml.Write(writer, summary, site);
        return writer.ToString();
    }

    private static string Chart(string html, string id) =>
        ChartPattern().Matches(html).Single(m => m.Groups["id"].Value == id).Value;

    [Fact]
    public void GivenNoSite_WhenRendered_ThenThereIsNoPlaybackLinkAndTheChartsStayImages()
    {
        string html = Render(ThreeMinutes());

        Assert.DoesNotContain("#at=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("playback", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(".hit", html, StringComparison.Ordinal);
        Assert.Equal(["https://www.maxmind.com"], HrefPattern().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Equal(3, Regex.Count(html, "<svg [^>]*role=\"img\""));
        Assert.Equal(html, Render(ThreeMinutes(), site: null));
    }

    [Fact]
    public void GivenASite_WhenRendered_ThenEachMinuteOfTheCoPlayChartLinksToItsPlaybackWithATooltip()
    {
        string chart = Chart(Render(ThreeMinutes(), Site("http://localhost:8080")), "coplays-chart");

        Assert.Equal(
            [
                "<a class=\"playback\" href=\"http://localhost:8080/#at=2026-11-26T09:00:00Z&amp;speed=1\"><title>2026-11-26 09:00 UTC: 2 co-plays; watch this minute on the site</title>",
                "<a class=\"playback\" href=\"http://localhost:8080/#at=2026-11-26T09:01:00Z&amp;speed=1\"><title>2026-11-26 09:01 UTC: 0 co-plays; watch this minute on the site</title>",
                "<a class=\"playback\" href=\"http://localhost:8080/#at=2026-11-26T09:02:00Z&amp;speed=1\"><title>2026-11-26 09:02 UTC: 1 co-plays; watch this minute on the site</title>",
            ],
            LinkPattern().Matches(chart).Select(m => m.Value));
        Assert.Equal(3, Regex.Count(chart, "<rect class=\"hit\" x=\"[0-9.]+\" y=\"14\" width=\"[0-9.]+\" height=\"172\"/></a>"));
        Assert.Contains("role=\"group\" aria-labelledby=\"coplays-chart-title\" aria-describedby=\"coplays-chart-desc\"", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASite_WhenRendered_ThenThePlaysChartHasNoLinksAndTheTableRowsLinkTheirMinutes()
    {
        string html = Render(ThreeMinutes(), Site("http://localhost:8080"));

        Assert.DoesNotContain("<a", Chart(html, "plays-chart"), StringComparison.Ordinal);
        Assert.Contains(
            "<tr><th scope=\"row\"><a href=\"http://localhost:8080/#at=2026-11-26T09:01:00Z&amp;speed=1\">2026-11-26 09:01</a></th><td class=\"n\">30</td><td class=\"n\">0</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains("<dt>Playback site</dt><dd><code>http://localhost:8080/</code></dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASite_WhenRendered_ThenThePageStillLoadsNothingAndLinksOnlyToTheSiteAndMaxMind()
    {
        string html = Render(ThreeMinutes(), Site("https://coplays.example.org"));

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(
            HrefPattern().Matches(html).Select(m => m.Groups[1].Value),
            href => Assert.True(href == "https://www.maxmind.com" || href.StartsWith("https://coplays.example.org/#at=", StringComparison.Ordinal), href));
        Assert.Equal(6, HrefPattern().Matches(html).Count(m => m.Groups[1].Value.Contains("#at=", StringComparison.Ordinal)));
    }

    [Fact]
    public void GivenASiteWithAQuery_WhenRendered_ThenTheLinkKeepsItAndIsAttributeEncoded()
    {
        string html = Render(ThreeMinutes(), Site("https://example.org/lt/?lang=en&theme=\"dark\""));

        Assert.Contains("href=\"https://example.org/lt/?lang=en&amp;theme=%22dark%22#at=2026-11-26T09:00:00Z&amp;speed=1\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADayOfMinutes_WhenRendered_ThenTheAreaChartHasOneLinkPerMinute()
    {
        ReplaySummary day = Summary([.. Enumerable.Range(0, 1440).Select(m => new MinuteTotal(Nine + (m * 60_000L), 10, m % 3))]);

        string chart = Chart(Render(day, Site("http://localhost:8080")), "coplays-chart");

        Assert.Contains("<path class=\"area\"", chart, StringComparison.Ordinal);
        Assert.Equal(1440, Regex.Count(chart, "<a class=\"playback\" href=\""));
        Assert.Equal(1440, Regex.Count(chart, "<rect class=\"hit\""));
        Assert.Contains("href=\"http://localhost:8080/#at=2026-11-27T08:59:00Z&amp;speed=1\"><title>2026-11-27 08:59 UTC: 2 co-plays; watch this minute on the site</title>", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenMoreThanADay_WhenRendered_ThenEachBinLinksToThePlaybackFromItsStart()
    {
        ReplaySummary twoDays = Summary([new MinuteTotal(Nine, 10, 1), new MinuteTotal(Nine + (2L * 86_400_000), 10, 1)]);

        string chart = Chart(Render(twoDays, Site("http://localhost:8080")), "coplays-chart");

        Assert.Contains("href=\"http://localhost:8080/#at=2026-11-26T09:00:00Z&amp;speed=1\"><title>2026-11-26 09:00 UTC: 1 co-plays; watch from its start on the site</title>", chart, StringComparison.Ordinal);
    }

    [GeneratedRegex("<svg class=\"chart [a-z]+\"[^>]*aria-labelledby=\"(?<id>[a-z-]+)-title[^>]*>.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex ChartPattern();

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex HrefPattern();

    [GeneratedRegex("<a class=\"playback\" href=\"[^\"]+\"><title>[^<]+</title>")]
    private static partial Regex LinkPattern();
}
