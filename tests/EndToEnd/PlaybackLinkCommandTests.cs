using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// <c>lt replay --site-url</c> and <c>lt merge --site-url</c> through the real executable: every minute of the
/// report's co-play chart links to the site's playback of it, and a URL that is no site is refused before any work.
/// </summary>
public sealed partial class PlaybackLinkCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The playback link of each minute from the first to the last of summary.json's per-minute counts, as the report's attributes hold them.</summary>
    private static List<string> EveryMinuteLink(string summaryJson, string page)
    {
        JsonArray minutes = JsonNode.Parse(File.ReadAllText(summaryJson, Encoding.UTF8))!["coPlaysPerMinute"]!.AsArray();
        DateTimeOffset first = DateTimeOffset.Parse((string)minutes[0]!["minute"]!, CultureInfo.InvariantCulture);
        DateTimeOffset last = DateTimeOffset.Parse((string)minutes[^1]!["minute"]!, CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, (int)(last - first).TotalMinutes + 1)
            .Select(m => first.AddMinutes(m).UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm", CultureInfo.InvariantCulture))
            .Select(minute => $"{page}#at={minute}:00Z&amp;speed=1")];
    }

    private static List<string> ChartLinks(string reportHtml) =>
        [.. ChartLinkPattern().Matches(File.ReadAllText(reportHtml, Encoding.UTF8)).Select(m => m.Groups[1].Value)];

    [Fact]
    public async Task GivenASiteUrl_WhenTheExampleIsReplayed_ThenEveryMinuteOfTheCoPlayChartLinksToItsPlayback()
    {
        Lt.RequireRealCityDb();
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output, "--site-url", "http://localhost:8080"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        List<string> links = ChartLinks(Path.Combine(output, "report.html"));
        Assert.NotEmpty(links);
        Assert.Equal(EveryMinuteLink(Path.Combine(output, "summary.json"), "http://localhost:8080/"), links);
    }

    [Fact]
    public async Task GivenNoSiteUrl_WhenTheExampleIsReplayed_ThenTheReportHasNoPlaybackLink()
    {
        Lt.RequireRealCityDb();
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string html = File.ReadAllText(Path.Combine(output, "report.html"), Encoding.UTF8);
        Assert.DoesNotContain("#at=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("playback", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("localhost:8080", "not an absolute http or https URL (say http://localhost:8080)")]
    [InlineData("file:///srv/site/index.html", "not an absolute http or https URL (say http://localhost:8080)")]
    [InlineData("https://viewer:secret@example.org", "it holds a user name or password, which every reader of report.html would see")]
    public async Task GivenAUrlThatIsNoSite_WhenReplayed_ThenItExitsTwoNamingTheOptionAndCreatesNoOutput(string url, string why)
    {
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output, "--site-url", url]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --site-url '{url}': {why}\n", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }

    [Fact]
    public async Task GivenAUrlThatIsNoSite_WhenMerged_ThenItExitsTwoBeforeReadingAnyInput()
    {
        string output = _temp.Combine("merged");

        LtResult result = await Lt.RunAsync(["merge", "--input", _temp.Combine("nowhere"), "--output", output, "--site-url", "ftp://example.org"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: --site-url 'ftp://example.org': not an absolute http or https URL (say http://localhost:8080)\n", result.Stderr);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }

    [Fact]
    public async Task GivenTwoHourOutputsAndASiteUrl_WhenMerged_ThenEveryMinuteOfTheDayChartLinksToItsPlayback()
    {
        Lt.RequireRealCityDb();
        string nine = _temp.Combine("hour-09.jsonl"), ten = _temp.Combine("hour-10.jsonl");
        File.Copy(Lt.Examples("plays.jsonl"), nine);
        File.WriteAllText(ten, File.ReadAllText(Lt.Examples("plays.jsonl")).Replace("\"playedAt\":\"2026-11-26T09:", "\"playedAt\":\"2026-11-26T10:", StringComparison.Ordinal));
        string nineOut = _temp.Combine("out-09"), tenOut = _temp.Combine("out-10"), merged = _temp.Combine("merged");
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", nine, "--output", nineOut])).ExitCode);
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", ten, "--output", tenOut])).ExitCode);

        LtResult result = await Lt.RunAsync(["merge", "--input", nineOut, tenOut, "--output", merged, "--site-url", "https://coplays.example.org/"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        List<string> links = ChartLinks(Path.Combine(merged, "report.html"));
        Assert.Equal(EveryMinuteLink(Path.Combine(merged, "summary.json"), "https://coplays.example.org/"), links);
        Assert.Contains(links, link => link.Contains("#at=2026-11-26T10:", StringComparison.Ordinal));
    }

    /// <summary>The links of the co-play chart's minutes, in order (the table below repeats them without the class).</summary>
    [GeneratedRegex("<a class=\"playback\" href=\"([^\"]+)\">")]
    private static partial Regex ChartLinkPattern();
}
