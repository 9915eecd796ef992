using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// Runs <c>lt run</c> once (built-in simulator at 3,000 plays/s, results and dead letters to files) for about
/// eight seconds, then stops it with SIGINT as Ctrl+C would.
/// </summary>
public sealed class StreamingRunFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan FirstCoPlayWithin = TimeSpan.FromSeconds(40);

    private readonly TempDirectory _temp = new();

    public string ResultsPath => _temp.Combine("results", "coplays.jsonl");

    public string DeadLetterPath => _temp.Combine("dead-letters.jsonl");

    public LtResult Result { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        Lt.RequireRealCityDb();
        var clock = Stopwatch.StartNew();
        using LtProcess run = Lt.Start(
        [
            "run",
            "--Simulator:PlaysPerSecond=3000",
            $"--Results:Jsonl={ResultsPath}",
            $"--DeadLetter:Path={DeadLetterPath}",
            "--Urls=http://127.0.0.1:0",
        ]);

        // About eight seconds, and at least until the console has shown a co-play (start-up on a busy machine).
        while ((clock.Elapsed < RunFor || !RunCommandTests.CoPlayLine.IsMatch(run.Stdout)) && clock.Elapsed < FirstCoPlayWithin && !run.HasExited)
        {
            await Task.Delay(100);
        }

        if (!run.HasExited)
        {
            await run.InterruptAsync();
        }

        Result = await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();
}

public sealed partial class RunCommandTests(StreamingRunFixture run) : IClassFixture<StreamingRunFixture>
{
    private static readonly string[] CoPlayKeys = ["windowStart", "trackId", "plays", "locations", "a", "b", "distanceKm"];
    private static readonly string[] PlaceKeys = ["geonameId", "city", "country", "lat", "lon"];
    private static readonly string[] DeadLetteredReasons = ["malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at", "ip_invalid"];

    /// <summary>"14:03:22  "Blue Garden" by Kofi Jensen  Hanoi, VN &lt;-&gt; Potosí, BO  19,124 km  (3 plays, 3 places)".</summary>
    public static Regex CoPlayLine => CoPlayLineRegex();

    [GeneratedRegex(@"^\d\d:\d\d:\d\d  .+  .+, [A-Z?]+ <-> .+, [A-Z?]+  [\d,]+ km  \(\d+ plays, \d+ places\)$", RegexOptions.Multiline)]
    private static partial Regex CoPlayLineRegex();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex UtcMillisecondsRegex();

    private string[] ResultLines => File.Exists(run.ResultsPath) ? File.ReadAllLines(run.ResultsPath) : [];

    [Fact]
    public void GivenARun_WhenStoppedWithSigint_ThenItExitsZero()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenTheConsoleShowedCoPlayLines()
    {
        Assert.True(CoPlayLine.IsMatch(run.Result.Stdout), run.Result.ToString());
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenNothingFailedOrCrashed()
    {
        Assert.DoesNotContain(" fail: ", run.Result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" crit: ", run.Result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenResultsJsonlHasCoPlaysOfTwoDistinctPlacesAtLeast100KmApartInDesignShape()
    {
        string[] lines = ResultLines;

        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement c = doc.RootElement;
            Assert.Equal(CoPlayKeys, c.EnumerateObject().Select(p => p.Name));
            Assert.Equal(PlaceKeys, c.GetProperty("a").EnumerateObject().Select(p => p.Name));
            Assert.Equal(PlaceKeys, c.GetProperty("b").EnumerateObject().Select(p => p.Name));
            Assert.Matches(UtcMillisecondsRegex(), c.GetProperty("windowStart").GetString());
            Assert.True(c.GetProperty("a").GetProperty("geonameId").GetInt64() < c.GetProperty("b").GetProperty("geonameId").GetInt64(), line);
            Assert.True(c.GetProperty("distanceKm").GetDouble() >= 100, line);
            Assert.True(c.GetProperty("plays").GetInt64() >= c.GetProperty("locations").GetInt64(), line);
            Assert.True(c.GetProperty("locations").GetInt64() >= 2, line);
        });
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenNoResultCarriesAUserIdOrAnIp()
    {
        Assert.All(ResultLines, line =>
        {
            Assert.DoesNotContain("\"userId\"", line, StringComparison.Ordinal);
            Assert.DoesNotContain("\"ip\"", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenEachWindowAndTrackIsInTheResultsOnce()
    {
        var keys = ResultLines.Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return (doc.RootElement.GetProperty("windowStart").GetString(), doc.RootElement.GetProperty("trackId").GetString());
        }).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void GivenARun_WhenStopped_ThenTheDeadLetterFileHoldsWholeEntriesOfDeadLetteredReasons()
    {
        Assert.True(File.Exists(run.DeadLetterPath), $"{run.DeadLetterPath} is missing");
        string text = File.ReadAllText(run.DeadLetterPath);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last entry has no line end");
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            Assert.Equal(["reason", "receivedAt", "source", "payload"], e.EnumerateObject().Select(p => p.Name));
            Assert.Contains(e.GetProperty("reason").GetString(), DeadLetteredReasons);
            Assert.Equal("inmemory", e.GetProperty("source").GetString());
            Assert.Matches(UtcMillisecondsRegex(), e.GetProperty("receivedAt").GetString());
        });
    }
}

/// <summary><c>lt run</c> refusing to start: bad settings and broken databases exit 2 with one line naming the culprit.</summary>
public sealed class RunCommandStartupTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenAWindowThatDoesNotDivideAnHour_WhenRun_ThenItExitsTwoNamingPipelineWindowMs()
    {
        LtResult result = await Lt.RunAsync(["run", "--Pipeline:WindowMs=7", "--Urls=http://127.0.0.1:0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: Invalid setting Pipeline:WindowMs: 7 does not divide 3,600,000 (one hour), so windows would span hours.\n", result.Stderr);
    }

    [Theory]
    [InlineData("GeoIP2-City-Test-Broken-Double-Format.mmdb")]
    [InlineData("GeoIP2-City-Test-Invalid-Node-Count.mmdb")]
    public async Task GivenABrokenCityDatabase_WhenRun_ThenItExitsTwoWithAnErrorNamingTheFile(string fileName)
    {
        string database = Lt.MaxMindTest(fileName);

        LtResult result = await Lt.RunAsync(["run", $"--Geo:CityDb={database}", "--Urls=http://127.0.0.1:0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(database, result.Stderr.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAMissingCityDatabase_WhenRun_ThenItExitsTwoWithAnErrorNamingTheFile()
    {
        string database = _temp.Combine("nowhere", "GeoLite2-City.mmdb");

        LtResult result = await Lt.RunAsync(["run", $"--Geo:CityDb={database}", "--Urls=http://127.0.0.1:0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(database, result.Stderr.Split('\n')[0], StringComparison.Ordinal);
    }
}
