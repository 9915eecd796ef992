using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// What analysts run: <c>lt replay</c> with its report, <c>--from</c>/<c>--to</c> and <c>--skip-bad-files</c>, and
/// <c>lt merge</c> of hour outputs, through the real executable.
/// </summary>
public sealed partial class AnalystCommandTests : IDisposable
{
    private const string NineOClock = "\"playedAt\":\"2026-11-26T09:";
    private const string TenOClock = "\"playedAt\":\"2026-11-26T10:";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>hour-09.jsonl (the example plays) and hour-10.jsonl (the same an hour later) in one folder.</summary>
    private (string Nine, string Ten) WriteHours()
    {
        string folder = _temp.Combine("in");
        Directory.CreateDirectory(folder);
        string nine = Path.Combine(folder, "hour-09.jsonl"), ten = Path.Combine(folder, "hour-10.jsonl");
        File.Copy(Lt.Examples("plays.jsonl"), nine);
        File.WriteAllText(ten, File.ReadAllText(Lt.Examples("plays.jsonl")).Replace(NineOClock, TenOClock, StringComparison.Ordinal));
        return (nine, ten);
    }

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();

    [Fact]
    public async Task GivenTheExample_WhenReplayed_ThenReportHtmlIsOneSelfContainedPageWithTheMaxMindCredit()
    {
        Lt.RequireRealCityDb();
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string html = File.ReadAllText(Path.Combine(output, "report.html"), Encoding.UTF8);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(["https://www.maxmind.com", "https://www.maxmind.com"], UrlPattern().Matches(html).Select(m => m.Value));
        Assert.Contains("This product includes GeoLite2 data created by MaxMind, available from <a href=\"https://www.maxmind.com\">https://www.maxmind.com</a>.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<dt>City database</dt><dd>GeoLite2-City, built 2026-09-18 04:49:38 UTC</dd>", html, StringComparison.Ordinal);
        string topTrack = (string)ReadJson(Path.Combine(output, "summary.json"))["topTracks"]![0]!["trackId"]!;
        Assert.Contains($"<span class=\"id\">{topTrack}</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenATrackIdThatIsMarkup_WhenReplayed_ThenTheReportShowsItEncodedAndRunsNothing()
    {
        const string track = "</title><script>alert(\\\"lt\\\")</script>";
        string input = _temp.Combine("evil.jsonl");
        File.WriteAllText(input,
            "{\"eventId\":\"e1\",\"trackId\":\"" + track + "\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}\n"
            + "{\"eventId\":\"e2\",\"trackId\":\"" + track + "\",\"ip\":\"89.160.20.112\",\"playedAt\":\"2026-11-26T14:03:22.999Z\"}\n");
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", input, "--output", output, $"--Geo:CityDb={Lt.MaxMindTest("GeoIP2-City-Test.mmdb")}"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("</title><script>alert(\"lt\")</script>", (string)ReadJson(Path.Combine(output, "summary.json"))["topTracks"]![0]!["trackId"]!);
        string html = File.ReadAllText(Path.Combine(output, "report.html"), Encoding.UTF8);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;/title&gt;&lt;script&gt;alert(&quot;lt&quot;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("London, GB", html, StringComparison.Ordinal);
        Assert.Contains("Linköping, SE", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTwoHoursOfPlays_WhenReplayedFromTenToEleven_ThenTheCoPlaysAreThoseOfTheTenOClockPlaysAlone()
    {
        Lt.RequireRealCityDb();
        (string nine, string ten) = WriteHours();
        string ranged = _temp.Combine("ranged"), alone = _temp.Combine("alone");

        LtResult result = await Lt.RunAsync(["replay", "--input", nine, ten, "--output", ranged, "--from", "2026-11-26T10:00:00Z", "--to", "2026-11-26T11:00:00Z"]);
        LtResult reference = await Lt.RunAsync(["replay", "--input", ten, "--output", alone]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(reference.ExitCode == 0, reference.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(alone, "coplays.jsonl")), File.ReadAllBytes(Path.Combine(ranged, "coplays.jsonl")));
        Assert.Equal($"6,000 records, 2,738 eligible plays, 496 co-plays -> {ranged}\n", result.Stdout);
        JsonObject summary = ReadJson(Path.Combine(ranged, "summary.json"));
        Assert.Equal(3000, (long)summary["outsideRange"]!);
        Assert.Equal("2026-11-26T10:00:00.000Z", (string)summary["settings"]!["from"]!);
        Assert.Equal("2026-11-26T11:00:00.000Z", (string)summary["settings"]!["to"]!);
        Assert.True(JsonNode.DeepEquals(ReadJson(Path.Combine(alone, "summary.json"))["ineligible"], summary["ineligible"]));
    }

    [Theory]
    [InlineData("--from", "2026-11-26T11:00:00Z", "--to", "2026-11-26T10:00:00Z", "error: --from 2026-11-26T11:00:00Z must be before --to 2026-11-26T10:00:00Z: the range [from, to) would be empty.\n")]
    [InlineData("--from", "26/11/2026", "--to", "2026-11-26T10:00:00Z", "error: --from '26/11/2026' is not an ISO 8601 time (say 2026-11-26T09:00:00Z; without an offset it is UTC).\n")]
    public async Task GivenABadRange_WhenReplayed_ThenItExitsTwoSayingWhy(string fromOption, string from, string toOption, string to, string expected)
    {
        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", _temp.Combine("out"), fromOption, from, toOption, to]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(expected, result.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("out")), "nothing is written");
    }

    [Fact]
    public async Task GivenACorruptParquetAndAMissingFile_WhenReplayedWithSkipBadFiles_ThenItExitsZeroListingBothOnStderrAndInTheSummary()
    {
        Lt.RequireRealCityDb();
        string corrupt = _temp.Combine("broken.parquet");
        File.WriteAllText(corrupt, "not parquet");
        string missing = _temp.Combine("missing.jsonl");
        string output = _temp.Combine("out");

        LtResult skipping = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), corrupt, missing, "--output", output, "--skip-bad-files"]);
        LtResult failing = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), corrupt, "--output", _temp.Combine("failed")]);

        Assert.True(skipping.ExitCode == 0, skipping.ToString());
        Assert.Equal(File.ReadAllBytes(Lt.Examples("expected.jsonl")), File.ReadAllBytes(Path.Combine(output, "coplays.jsonl")));
        string[] skippedLines = [.. skipping.Stderr.Split('\n').Where(l => l.StartsWith("skipped: ", StringComparison.Ordinal))];
        Assert.Equal(2, skippedLines.Length);
        Assert.Equal($"skipped: Input '{missing}' does not exist.", skippedLines[0]);
        Assert.StartsWith($"skipped: '{corrupt}' is not a readable Parquet play file: ", skippedLines[1], StringComparison.Ordinal);
        JsonArray listed = ReadJson(Path.Combine(output, "summary.json"))["skippedFiles"]!.AsArray();
        Assert.Equal([missing, corrupt], listed.Select(s => (string)s!["file"]!));

        Assert.True(failing.ExitCode == 2, failing.ToString());
        Assert.StartsWith($"error: '{corrupt}' is not a readable Parquet play file: ", failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTwoHourOutputs_WhenMerged_ThenTheOutputIsByteIdenticalToOneReplayOfBothHours()
    {
        Lt.RequireRealCityDb();
        (string nine, string ten) = WriteHours();
        string nineOut = _temp.Combine("hour-09"), tenOut = _temp.Combine("hour-10"), both = _temp.Combine("both"), merged = _temp.Combine("merged");
        foreach (LtResult replay in new[]
        {
            await Lt.RunAsync(["replay", "--input", nine, "--output", nineOut]),
            await Lt.RunAsync(["replay", "--input", ten, "--output", tenOut]),
            await Lt.RunAsync(["replay", "--input", nine, ten, "--output", both]),
        })
        {
            Assert.True(replay.ExitCode == 0, replay.ToString());
        }

        LtResult result = await Lt.RunAsync(["merge", "--input", nineOut, tenOut, "--output", merged]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"2 outputs, 6,000 records, 5,476 eligible plays, 992 co-plays -> {merged}\n", result.Stdout);
        foreach (string file in new[] { "coplays.jsonl", "summary.json", "report.html" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(both, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, file))), $"{file} differs");
        }

        Assert.True(new FileInfo(Path.Combine(merged, "coplays.parquet")).Length > 0);
    }

    [Fact]
    public async Task GivenTheSameHourTwice_WhenMerged_ThenItExitsTwoSayingTheyOverlapAndWritesNothing()
    {
        Lt.RequireRealCityDb();
        (string nine, _) = WriteHours();
        string a = _temp.Combine("a"), b = _temp.Combine("b"), merged = _temp.Combine("merged");
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", nine, "--output", a])).ExitCode);
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", nine, "--output", b])).ExitCode);

        LtResult result = await Lt.RunAsync(["merge", "--input", a, b, "--output", merged]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: Cannot merge '{b}' with '{a}': their plays overlap in time (", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
        Assert.False(Directory.Exists(merged), $"{merged} was created");
    }

    [Fact]
    public async Task GivenOutputsOfDifferentMinimumDistances_WhenMerged_ThenItExitsTwoNamingTheSetting()
    {
        Lt.RequireRealCityDb();
        (string nine, string ten) = WriteHours();
        string a = _temp.Combine("a"), b = _temp.Combine("b");
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", nine, "--output", a])).ExitCode);
        Assert.Equal(0, (await Lt.RunAsync(["replay", "--input", ten, "--output", b, "--Pipeline:MinDistanceKm=500"])).ExitCode);

        LtResult result = await Lt.RunAsync(["merge", "--input", a, b, "--output", _temp.Combine("merged")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Cannot merge '{b}' with '{a}': they were replayed with different settings (minDistanceKm 500 and 100).\n", result.Stderr);
    }

    [GeneratedRegex("https?://[^\"<\\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
