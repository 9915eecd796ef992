using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using Xunit.Abstractions;

namespace ListeningTogether.Faults.Tests.PubSub;

/// <summary>
/// Fault matrix, "Pub/Sub emulator stopped, then started again": <c>lt run</c> reads the plays subscription while its
/// built-in simulator publishes to the same topic, with <c>CreateMissing</c>. The emulator is stopped, stays away for
/// <see cref="Outage"/> and starts again empty. The process does not exit; <c>/readyz</c> is 503 naming the source
/// while the emulator is away and 200 within 10 s after it listens again, <c>/healthz</c> stays 200; topic and
/// subscription are created again and reading resumes. Every co-play written before the stop is still in the
/// results at the end. The plays the emulator lost are counted nowhere: no late plays, no dead letters, no failed
/// results writes, and no error in the log besides the outage's own lines.
/// </summary>
public sealed class EmulatorRestartTests(ITestOutputHelper output)
{
    /// <summary>
    /// How long the emulator is away, its own start included: DESIGN's short outage for the test budget, or
    /// LT_FAULT_PUBSUB_OUTAGE_SECONDS (the fault matrix row names 20 s).
    /// </summary>
    public static readonly TimeSpan Outage = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("LT_FAULT_PUBSUB_OUTAGE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) ? seconds : 10);

    private const string Topic = "plays";
    private const string Subscription = "pipeline";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyAgainWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GivenRunReadingAndPublishing_WhenTheEmulatorIsStoppedAndStartedAgain_ThenItStaysUpIsUnreadyMeanwhileReadsOnAndKeepsEveryEarlierResult()
    {
        Lt.RequireRealCityDb();
        var starting = Stopwatch.StartNew();
        await using PubSubEmulator emulator = await PubSubEmulator.StartAsync();
        TimeSpan emulatorStart = starting.Elapsed;
        using var temp = new TempDirectory();
        string results = temp.Combine("coplays.jsonl");
        string deadLetters = temp.Combine("dead-letters.jsonl");
        int port = FreePorts.Next();
        var urls = new LtUrls(port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using LtProcess run = Lt.Start([
            "run",
            $"--Urls=http://127.0.0.1:{port}",
            .. emulator.Arguments(Topic, Subscription),
            "--Transport:PubSub:AckDeadlineSeconds=10",
            "--Simulator:Enabled=true",
            "--Simulator:PlaysPerSecond=200",
            "--Simulator:MalformedRate=0",
            $"--Results:Jsonl={results}",
            $"--DeadLetter:Path={deadLetters}",

            // Windows still open at the stop stay open through the outage, so the plays the publisher sends once the
            // emulator is back (made just before the stop) still count; and a lateness that a loaded machine's
            // stalls do not exceed. A late play would then be the outage's doing.
            "--Pipeline:IdleFlushMs=60000",
            "--Pipeline:AllowedLatenessMs=5000",
        ]);

        await Eventually.HoldsAsync(async () => (await http.GetAsync(urls.Readyz)).StatusCode == HttpStatusCode.OK, Patience, "/readyz to answer 200", run);
        await Eventually.HoldsAsync(() => Task.FromResult(ResultKeys(results).Select(k => k.WindowStart).Distinct().Count() >= 5), Patience, "co-plays of 5 windows", run);
        Metrics before = await Metrics.ReadAsync(http, urls);
        HashSet<(string WindowStart, string TrackId)> resultsAtStop = ResultKeys(results);

        DateTimeOffset stoppingAt = DateTimeOffset.UtcNow;
        await emulator.StopAsync();
        DateTimeOffset stoppedAt = DateTimeOffset.UtcNow;
        var probes = new ProbeLog(http, urls);
        using var probing = new CancellationTokenSource();
        Task probingDone = probes.RunAsync(probing.Token);

        // Started again so that it listens about Outage after it went away (its start took emulatorStart before).
        TimeSpan awayBeforeStart = Outage - emulatorStart - (DateTimeOffset.UtcNow - stoppingAt);
        if (awayBeforeStart > TimeSpan.Zero)
        {
            await Task.Delay(awayBeforeStart);
        }

        Assert.False(run.HasExited, $"lt exited during the outage.\n{run.Stdout}");
        DateTimeOffset restartingAt = DateTimeOffset.UtcNow;
        await emulator.RestartAsync();
        DateTimeOffset listeningAt = DateTimeOffset.UtcNow;
        TimeSpan readyAfter = await Eventually.HoldsAsync(async () => (await http.GetAsync(urls.Readyz)).StatusCode == HttpStatusCode.OK, Patience, "/readyz to answer 200 again", run);
        await Eventually.HoldsAsync(
            () => Task.FromResult(ResultKeys(results).Any(k => DateTimeOffset.Parse(k.WindowStart, CultureInfo.InvariantCulture) >= listeningAt)),
            Patience,
            "co-plays of a window after the restart",
            run);
        await probing.CancelAsync();
        await probingDone;
        Metrics after = await Metrics.ReadAsync(http, urls);

        await run.SignalAsync("TERM");
        LtResult stopped = await run.WaitAsync(Patience);
        string timeline = $"emulator away {(listeningAt - stoppingAt).TotalSeconds:0.0} s (stopping at {stoppingAt:O}, stopped at {stoppedAt:O}, started again at {restartingAt:O}, listening at {listeningAt:O}); ready again {readyAfter.TotalSeconds:0.0} s after";
        output.WriteLine(timeline);
        output.WriteLine($"at the stop / after the restart: co-plays {before.CoPlays} / {after.CoPlays}, late plays {before.Late} / {after.Late}, publish failures {before.PublishFailures} / {after.PublishFailures}");
        Assert.True(stopped.ExitCode == 0, $"{timeline}\n{stopped}");

        // Unready while the emulator was away (its start included), naming the source; alive all along.
        Probe[] whileAway = [.. probes.Samples.Where(p => p.At > stoppedAt.AddSeconds(1) && p.At < listeningAt.AddSeconds(-1))];
        Assert.True(whileAway.Length >= 5, $"only {whileAway.Length} probes while the emulator was away; {timeline}");
        Assert.All(whileAway, p => Assert.True(
            p.Readyz == HttpStatusCode.ServiceUnavailable && p.ReadyzBody.Contains($"source: Pub/Sub subscription 'projects/{PubSubEmulator.ProjectId}/subscriptions/{Subscription}': ", StringComparison.Ordinal),
            $"/readyz at {p.At:O} while the emulator was away: {(int)p.Readyz} {p.ReadyzBody}"));
        Assert.All(probes.Samples, p => Assert.True(p.Healthz == HttpStatusCode.OK, $"/healthz at {p.At:O}: {(int)p.Healthz}"));
        Assert.True(readyAfter <= ReadyAgainWithin, $"/readyz answered 200 only {readyAfter.TotalSeconds:0.0} s after the emulator listened again; {timeline}");

        // Everything written before the stop is still there (the sink compacts the file at stop), and reading went on.
        HashSet<(string WindowStart, string TrackId)> resultsAtEnd = ResultKeys(results, wholeFile: true);
        Assert.Empty(resultsAtStop.Except(resultsAtEnd));
        Assert.Contains(resultsAtEnd, k => DateTimeOffset.Parse(k.WindowStart, CultureInfo.InvariantCulture) >= listeningAt);

        // The plays the emulator lost are its loss: none of them became late, a dead letter or a failed write of ours.
        Assert.True(after.Late == before.Late, $"late plays: {before.Late} at the stop, {after.Late} after the restart; {timeline}\n{Warnings(stopped.Stdout)}");
        Assert.True((before.DeadLettered, after.DeadLettered) == (0, 0), $"dead-lettered plays: {before.DeadLettered} at the stop, {after.DeadLettered} after the restart");
        Assert.False(File.Exists(deadLetters) && new FileInfo(deadLetters).Length > 0, "dead letters were written");
        Assert.True(after.ResultsWriteFailures == 0, $"{after.ResultsWriteFailures} failed writes of Results:Jsonl");
        Assert.True(after.CoPlays > before.CoPlays, $"co-plays {before.CoPlays} before the stop, {after.CoPlays} after the restart");
        Assert.True(stopped.Stderr.Length == 0, $"stderr: {stopped.Stderr}");
        Assert.True(ErrorLines(stopped.Stdout).Length == 0, $"error lines: {string.Join('\n', ErrorLines(stopped.Stdout))}");
        Assert.DoesNotContain("failed for good", stopped.Stdout, StringComparison.Ordinal);
    }

    /// <summary>(windowStart, trackId) of the results so far; a last line still being written is left out unless the writer has stopped.</summary>
    private static HashSet<(string WindowStart, string TrackId)> ResultKeys(string path, bool wholeFile = false)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string text;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(file))
        {
            text = reader.ReadToEnd();
        }

        string[] lines = text.Split('\n');
        IEnumerable<string> complete = wholeFile ? lines.Where(l => l.Length > 0) : lines[..^1];
        var keys = new HashSet<(string, string)>();
        foreach (string line in complete)
        {
            using JsonDocument row = JsonDocument.Parse(line);
            keys.Add((row.RootElement.GetProperty("windowStart").GetString()!, row.RootElement.GetProperty("trackId").GetString()!));
        }

        return keys;
    }

    /// <summary>The warnings and the status lines of the log, to tell what happened when a count is off.</summary>
    private static string Warnings(string log) =>
        string.Join('\n', log.Split('\n').Where(l => l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains("StatusReporter", StringComparison.Ordinal)));

    private static string[] ErrorLines(string log) =>
        [.. log.Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal))];

    private sealed record LtUrls(int Port)
    {
        public Uri Readyz { get; } = new($"http://127.0.0.1:{Port}/readyz");

        public Uri Healthz { get; } = new($"http://127.0.0.1:{Port}/healthz");

        public Uri Metrics { get; } = new($"http://127.0.0.1:{Port}/metrics");
    }

    private sealed record Probe(DateTimeOffset At, HttpStatusCode Readyz, string ReadyzBody, HttpStatusCode Healthz);

    /// <summary>/readyz and /healthz every 200 ms until cancelled.</summary>
    private sealed class ProbeLog(HttpClient http, LtUrls urls)
    {
        private readonly List<Probe> _samples = [];

        public IReadOnlyList<Probe> Samples => _samples;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                DateTimeOffset at = DateTimeOffset.UtcNow;
                try
                {
                    using HttpResponseMessage ready = await http.GetAsync(urls.Readyz, CancellationToken.None);
                    using HttpResponseMessage healthy = await http.GetAsync(urls.Healthz, CancellationToken.None);
                    _samples.Add(new Probe(at, ready.StatusCode, await ready.Content.ReadAsStringAsync(CancellationToken.None), healthy.StatusCode));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // No answer at all: recorded as status 0, which fails both checks.
                    _samples.Add(new Probe(at, 0, e.Message, 0));
                }

                try
                {
                    await Task.Delay(200, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The counters of <c>/metrics</c> that would show lost plays counted as ours.</summary>
    private sealed record Metrics(long Late, long DeadLettered, long ResultsWriteFailures, long PublishFailures, long CoPlays)
    {
        private static readonly string[] DeadLetteredReasons = ["malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at", "ip_invalid"];

        public static async Task<Metrics> ReadAsync(HttpClient http, LtUrls urls)
        {
            string[] lines = (await http.GetStringAsync(urls.Metrics)).Split('\n');
            return new Metrics(
                Value(lines, "lt_plays_total{", "reason=\"late\""),
                DeadLetteredReasons.Sum(r => Value(lines, "lt_plays_total{", $"reason=\"{r}\"")),
                Value(lines, "lt_sink_failures_total{", "sink=\"results_jsonl\""),
                Value(lines, "lt_sink_failures_total{", "sink=\"publish\""),
                Value(lines, "lt_coplays_total{", ""));
        }

        private static long Value(string[] lines, string metric, string label)
        {
            string line = Assert.Single(lines, l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
            return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
    }
}
