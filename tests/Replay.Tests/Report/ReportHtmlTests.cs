using System.Text.RegularExpressions;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>
/// <c>report.html</c> from a summary: one file that loads nothing, encodes every string from the data, credits
/// MaxMind, and gives assistive technology headings, captions and chart descriptions.
/// </summary>
public sealed partial class ReportHtmlTests
{
    private const string Malicious = "\"><script>alert('track')</script><img src=x onerror=alert(1)>";
    private static readonly long Nine = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location Tokyo = new(1850147, "Tokyo", "JP", 35.6895, 139.6917);
    private static readonly Location LosAngeles = new(5368361, "Los Angeles", "US", 34.0522, -118.2437);

    private static ReplaySummary Summary(
        IReadOnlyList<TrackTotal>? tracks = null,
        IReadOnlyList<CityPairTotal>? pairs = null,
        IReadOnlyList<MinuteTotal>? minutes = null,
        IReadOnlyList<SkippedFile>? skipped = null,
        string input = "/data/plays.jsonl") =>
        new(
            100, 90, 80, 10, new Dictionary<string, long> { ["malformed"] = 4, ["private_session"] = 6 }, 0, 3, 7, Nine, Nine + 119_000,
            new ReplaySettings(1000, 100, 250, null),
            new CityDatabaseInfo("GeoLite2-City", new DateTimeOffset(2026, 9, 18, 4, 49, 38, TimeSpan.Zero)),
            [new InputFileSummary(input, 100)],
            skipped ?? [],
            tracks ?? [new TrackTotal("spotify:track:a", 2, 5), new TrackTotal("spotify:track:b", 1, 3)],
            pairs ?? [new CityPairTotal(Osaka, Lima, 15_500.3, 2, 5), new CityPairTotal(Tokyo, LosAngeles, 8_800.1, 1, 3)],
            minutes ?? [new MinuteTotal(Nine, 50, 2), new MinuteTotal(Nine + 60_000, 30, 1)]);

    private static string Render(ReplaySummary summary)
    {
        using var writer = new StringWriter();
        ReportHtml.Write(writer, summary);
        return writer.ToString();
    }

    [Fact]
    public void GivenASummary_WhenRendered_ThenTheOnlyUrlIsTheMaxMindCreditAndNothingIsLoaded()
    {
        string html = Render(Summary());

        Assert.Equal(["https://www.maxmind.com", "https://www.maxmind.com"], UrlPattern().Matches(html).Select(m => m.Value));
        Assert.Contains(
            "<p>This product includes GeoLite2 data created by MaxMind, available from <a href=\"https://www.maxmind.com\">https://www.maxmind.com</a>.</p>",
            html,
            StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html.Replace("href=\"https://www.maxmind.com\"", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenMaliciousTrackIdsCityNamesAndPaths_WhenRendered_ThenEveryOneIsHtmlEncoded()
    {
        var evil = new Location(1, Malicious, "<b>", 10, 10);
        string html = Render(Summary(
            tracks: [new TrackTotal(Malicious, 3, 9)],
            pairs: [new CityPairTotal(evil, Lima, 9_000, 3, 9)],
            skipped: [new SkippedFile("/in/<i>.parquet", "'<x>' & more")],
            input: "/in/<svg onload=alert(1)>.jsonl"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;alert(&#x27;track&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&#x27;&lt;x&gt;&#x27; &amp; more", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNonAsciiNames_WhenRendered_ThenTheyStayReadableLetters()
    {
        string html = Render(Summary(pairs: [new CityPairTotal(new Location(2694762, "Linköping", "SE", 58.4167, 15.6167), new Location(3, "Ōsaka", "JP", 34.7, 135.5), 8_000, 1, 2)]));

        Assert.Contains("Linköping, SE", html, StringComparison.Ordinal);
        Assert.Contains("Ōsaka, JP", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASummary_WhenRendered_ThenHeadingsCaptionsAndChartDescriptionsAreThere()
    {
        string html = Render(Summary());

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<h1[ >]"));
        Assert.Equal(
            ["Counts", "Plays and co-plays per minute", "Top tracks", "Strongest city pairs", "How this was made"],
            Regex.Matches(html, "<h2 id=\"[a-z]+\">([^<]+)</h2>").Select(m => m.Groups[1].Value));
        Assert.Equal(Regex.Count(html, "<table"), Regex.Count(html, "<table[^>]*>\n<caption>"));
        MatchCollection svgs = Regex.Matches(html, "<svg [^>]*role=\"img\" aria-labelledby=\"([a-z-]+) ([a-z-]+)\">");
        Assert.Equal(3, svgs.Count);
        Assert.Equal(3, Regex.Count(html, "<svg"));
        foreach (Match svg in svgs)
        {
            Assert.Matches($"<title id=\"{svg.Groups[1].Value}\">[^<]+</title><desc id=\"{svg.Groups[2].Value}\">[^<]+</desc>", html);
        }
    }

    [Fact]
    public void GivenASummary_WhenRendered_ThenTheChartDescriptionsGiveSpanTotalAndPeak()
    {
        string html = Render(Summary());

        Assert.Contains(
            "<desc id=\"plays-chart-desc\">80 eligible plays from 2026-11-26 09:00:00 UTC to 2026-11-26 09:02:00 UTC, at most 50 per minute (at 2026-11-26 09:00:00 UTC).</desc>",
            html,
            StringComparison.Ordinal);
        Assert.Contains(
            "<desc id=\"coplays-chart-desc\">3 co-plays from 2026-11-26 09:00:00 UTC to 2026-11-26 09:02:00 UTC, at most 2 per minute (at 2026-11-26 09:00:00 UTC).</desc>",
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTopListsAndSettings_WhenRendered_ThenTheTablesShowThemInOrderWithTheCityDatabaseBuild()
    {
        string html = Render(Summary());

        Assert.Matches("<td class=\"n\">1</td><th scope=\"row\"><span class=\"id\">spotify:track:a</span>.*<td class=\"n\">2</td><td class=\"n\">5</td>", html);
        Assert.Matches("<td class=\"n\">2</td><th scope=\"row\"><span class=\"id\">spotify:track:b</span>.*<td class=\"n\">1</td><td class=\"n\">3</td>", html);
        Assert.Matches("<span class=\"place\">Osaka, JP</span> <span class=\"place\">– Lima, PE</span>.*<td class=\"n\">15,500</td>", html);
        Assert.Contains("<dt>City database</dt><dd>GeoLite2-City, built 2026-09-18 04:49:38 UTC</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Window</dt><dd>1,000 ms</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Event-time range</dt><dd>all</dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAPairAcrossThePacific_WhenRendered_ThenItsArcLeavesAtOneEdgeAndComesBackAtTheOther()
    {
        string html = Render(Summary(pairs: [new CityPairTotal(Tokyo, LosAngeles, 8_800, 1, 2)]));

        string arc = Regex.Match(html, "<path class=\"arc\" d=\"([^\"]+)\"").Groups[1].Value;
        string[] parts = arc.Split('M', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, parts.Length);
        Assert.EndsWith(" " + parts[1].Split(' ', 2)[1].Split('L')[0], parts[0].Split('L')[^1], StringComparison.Ordinal);
        Assert.StartsWith("1440 ", parts[0].Split('L')[^1], StringComparison.Ordinal);
        Assert.StartsWith("0 ", parts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNoPlaysAtAll_WhenRendered_ThenEachSectionSaysSo()
    {
        string html = Render(Summary(tracks: [], pairs: [], minutes: []) with { FirstPlayedAtMs = null, LastPlayedAtMs = null });

        Assert.Contains("<p>No eligible plays.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p>No co-plays, so no top tracks.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p>No co-plays, so no city pairs.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Co-plays <span class=\"span\">(no plays)</span></h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSkippedFiles_WhenRendered_ThenTheyAreListedWithTheirReasons()
    {
        string html = Render(Summary(skipped: [new SkippedFile("/in/broken.parquet", "'/in/broken.parquet' is not a readable Parquet play file: bad magic")]));

        Assert.Contains(
            "<tr><th scope=\"row\" class=\"id\">/in/broken.parquet</th><td>&#x27;/in/broken.parquet&#x27; is not a readable Parquet play file: bad magic</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains("<strong>1 skipped (see below).</strong>", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("https?://[^\"<\\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
