using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Faults.Tests.Disk;

/// <summary>
/// Fault matrix, "archive, results and dead-letter disk full, then freed": <c>lt run</c> on the Pub/Sub emulator
/// writes the archive, both results sinks and its dead letters to one small file system, which is full when the
/// example plays arrive (the first is published alone and read, to show that plays reach the process). The archive
/// cannot write: <c>/readyz</c> answers 503 naming it (and any other part whose write failed before reading stopped,
/// such as the dead letters), reading stops and nothing counts as archived. Then space comes back, either under the
/// running process or after it was killed in the middle of the outage; the second case proves that nothing was
/// acknowledged past the failure, since every play the killed process had not acknowledged comes back. In the end
/// the results hold exactly the example's co-plays, no file is partial, and the archive replays to the same co-plays.
/// </summary>
/// <remarks>
/// The example's plays span one minute and are published in event-time order; lateness of a minute lets a restarted
/// process still place the plays that come back after the 10 s ack deadline, and the idle flush (5 s) emits them.
/// </remarks>
public sealed class FullDiskAllSinksTests : IAsyncLifetime, IDisposable
{
    private const int ExampleCoPlays = 496;
    private const int ExampleDeadLetters = 5;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private PubSubEmulator? _emulator;

    private PubSubEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() => _emulator = await PubSubEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(false)]
    public async Task GivenEverySinkOnAFullDisk_WhenSpaceComesBack_ThenItWasUnreadyNamingEachPartAndNothingIsLostOrPartial(bool killedDuringTheOutage)
    {
        Lt.RequireRealCityDb();
        string name = "disk-" + Guid.NewGuid().ToString("N")[..8];
        using Tmpfs disk = await Tmpfs.MountAsync(_temp.Combine(name), "4m");
        var sinks = new Sinks(disk.Combine("archive"), disk.Combine("coplays.jsonl"), disk.Combine("results"), disk.Combine("dead-letters.jsonl"));
        int port = FreePorts.Next();
        string[] arguments =
        [
            "run", $"--Urls=http://127.0.0.1:{port}", "--Simulator:Enabled=false", .. Emulator.Arguments(name + "-plays", name + "-run"),
            "--Transport:PubSub:AckDeadlineSeconds=10", "--Pipeline:AllowedLatenessMs=60000", "--Pipeline:IdleFlushMs=5000",
            "--Sinks:MaxOutageSeconds=600", "--Archive:RetentionDays=3650",
            $"--Archive:ParquetDir={sinks.Archive}", $"--Results:Jsonl={sinks.Jsonl}", $"--Results:ParquetDir={sinks.Parquet}", $"--DeadLetter:Path={sinks.DeadLetters}",
        ];

        LtProcess run = Lt.Start(arguments);
        try
        {
            await Eventually.HoldsAsync(async () => (await _http.GetAsync(Url(port, "readyz"))).StatusCode == HttpStatusCode.OK, Patience, "/readyz to answer 200", run);

            // The disk is full before the first play arrives (nothing written yet has a page with room left), and
            // that play is read before the others are published: plays reach this process, so what follows is the
            // disk's doing.
            await disk.FillAsync(keepKilobytes: 0);
            string[] plays = ExamplePlaysInEventTimeOrder();
            await Emulator.PublishAsync(name + "-plays", plays[..1]);
            await Eventually.HoldsAsync(
                async () => Metric(await _http.GetStringAsync(Url(port, "metrics")), "lt_plays_total") >= 1,
                Patience,
                "the first play to be read",
                () => "--- emulator log (end)\n" + Emulator.LogTail(),
                run);
            await Emulator.PublishAsync(name + "-plays", plays[1..]);

            // A 503 naming a part on the full disk. A StreamingPull stream that the loaded emulator cuts now and then
            // makes the source unready for a few seconds too; that is the emulator's, not the disk's, so such an
            // answer is passed over rather than taken as the disk's.
            string unready = "";
            await Eventually.HoldsAsync(
                async () =>
                {
                    HttpResponseMessage answer = await _http.GetAsync(Url(port, "readyz"));
                    unready = await answer.Content.ReadAsStringAsync();
                    return answer.StatusCode == HttpStatusCode.ServiceUnavailable && !unready.Contains("source: ", StringComparison.Ordinal);
                },
                Patience,
                "/readyz to answer 503 naming a part on the full disk",
                () => $"last /readyz: {unready}\n--- emulator log (end)\n{Emulator.LogTail()}",
                run);
            Assert.StartsWith("Unhealthy: not ready: ", unready, StringComparison.Ordinal);
            Assert.All(unready["Unhealthy: not ready: ".Length..].Split("; "), part => Assert.Matches(PartOnTheFullDisk(sinks), part));
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(Url(port, "healthz"))).StatusCode);

            double archived = Metric(await _http.GetStringAsync(Url(port, "metrics")), "lt_plays_archived_total");
            await Task.Delay(Outage);
            string during = await _http.GetStringAsync(Url(port, "metrics"));
            Assert.Equal(archived, Metric(during, "lt_plays_archived_total"));

            if (killedDuringTheOutage)
            {
                run.Dispose();
                await disk.ResizeAsync("64m");
                run = Lt.Start(arguments);
            }
            else
            {
                await disk.ResizeAsync("64m");
                TimeSpan ready = await Eventually.HoldsAsync(async () => (await _http.GetAsync(Url(port, "readyz"))).StatusCode == HttpStatusCode.OK, Patience, "/readyz to answer 200 again", run);
                Assert.True(ready < TimeSpan.FromSeconds(5), $"/readyz answered 200 only {ready.TotalSeconds:0.0} s after space came back");
            }

            await Eventually.HoldsAsync(() => Task.FromResult(JsonlKeys(sinks.Jsonl).Count >= ExampleCoPlays), Patience, $"{ExampleCoPlays} co-plays in {sinks.Jsonl}", run);
            await run.InterruptAsync();
            LtResult stopped = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(stopped.ExitCode == 0, stopped.ToString());
        }
        finally
        {
            run.Dispose();
        }

        await AssertNothingLostOrPartialAsync(sinks);
    }

    private async Task AssertNothingLostOrPartialAsync(Sinks sinks)
    {
        string[] expected = [.. File.ReadLines(Lt.Examples("expected.jsonl")).Order(StringComparer.Ordinal)];

        // Every line whole (a torn write would not parse), one row per window and track, exactly the example's co-plays.
        Assert.Equal(expected, LastRowPerKey(sinks.Jsonl));
        Assert.Equal(File.ReadLines(sinks.Jsonl).Count(), JsonlKeys(sinks.Jsonl).Count);
        Assert.Equal(expected, await ParquetRowsAsync(sinks.Parquet));

        string[] deadLetters = [.. File.ReadLines(sinks.DeadLetters)];
        Assert.All(deadLetters, line => JsonDocument.Parse(line).Dispose());
        Assert.Equal(ExampleDeadLetters, deadLetters.Select(Payload).Distinct(StringComparer.Ordinal).Count());

        string[] leftovers = [.. Directory.EnumerateFiles(sinks.Parquet, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(sinks.Archive, "*", SearchOption.AllDirectories))
            .Where(path => !path.EndsWith(".parquet", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith('.'))];
        Assert.True(leftovers.Length == 0, "left over: " + string.Join(", ", leftovers));

        string replayed = _temp.Combine("replayed-" + Guid.NewGuid().ToString("N")[..8]);
        LtResult replay = await Lt.RunAsync(["replay", "--input", sinks.Archive, "--output", replayed]);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(expected, File.ReadLines(Path.Combine(replayed, "coplays.jsonl")).Order(StringComparer.Ordinal));
    }

    private static string[] ExamplePlaysInEventTimeOrder() =>
        [.. File.ReadLines(Lt.Examples("plays.jsonl")).OrderBy(PlayedAt, StringComparer.Ordinal)];

    private static string PlayedAt(string line)
    {
        using JsonDocument play = JsonDocument.Parse(line);
        return play.RootElement.GetProperty("playedAt").GetString() ?? "";
    }

    private static string Payload(string deadLetter)
    {
        using JsonDocument entry = JsonDocument.Parse(deadLetter);
        return entry.RootElement.GetProperty("payload").GetRawText();
    }

    private static HashSet<(string, string)> JsonlKeys(string path) =>
        File.Exists(path) ? [.. File.ReadLines(path).Select(Key)] : [];

    private static (string WindowStart, string TrackId) Key(string line)
    {
        using JsonDocument row = JsonDocument.Parse(line);
        return (row.RootElement.GetProperty("windowStart").GetString() ?? "", row.RootElement.GetProperty("trackId").GetString() ?? "");
    }

    /// <summary>The sink's rows as an analyst reads the file: the last row of a key wins.</summary>
    private static string[] LastRowPerKey(string path)
    {
        var rows = new Dictionary<(string, string), string>();
        foreach (string line in File.ReadLines(path))
        {
            rows[Key(line)] = line;
        }

        return [.. rows.Values.Order(StringComparer.Ordinal)];
    }

    private static async Task<string[]> ParquetRowsAsync(string folder)
    {
        var rows = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories))
        {
            foreach (CoPlay coPlay in await CoPlayParquetReader.ReadAsync(file, CancellationToken.None))
            {
                var line = new System.Buffers.ArrayBufferWriter<byte>();
                CoPlayJsonl.Write(line, coPlay);
                rows.Add(Encoding.UTF8.GetString(line.WrittenSpan).TrimEnd('\n'));
            }
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static string PartOnTheFullDisk(Sinks sinks) =>
        $"^(archive: Archive:ParquetDir '{sinks.Archive}'|results_jsonl: Results:Jsonl '{sinks.Jsonl}'|results_parquet: Results:ParquetDir '{sinks.Parquet}'|dead_letter: DeadLetter:Path '{sinks.DeadLetters}'): no space left on device$";

    private static Uri Url(int port, string path) => new($"http://127.0.0.1:{port}/{path}");

    private static double Metric(string metrics, string name) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private sealed record Sinks(string Archive, string Jsonl, string Parquet, string DeadLetters);
}
