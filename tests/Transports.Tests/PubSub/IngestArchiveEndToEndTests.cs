using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.Tests.Fixtures;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// The real executable as <c>run --stage ingest</c> with <c>Archive:ParquetDir</c> on the real emulator, as the
/// Kubernetes manifests run it: the example plays go to the raw plays topic, the stage archives every one with a
/// valid playedAt, and after a SIGINT the archive is Parquet that <c>lt replay</c> turns into the expected co-plays.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class IngestArchiveEndToEndTests(PubSubEmulatorFixture emulator) : IDisposable
{
    /// <summary>The example's 3,000 records less the 5 without a valid playedAt (malformed or invalid_played_at).</summary>
    private const int PlaysWithAPlayedAt = 2995;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _work = Directory.CreateTempSubdirectory("lt-ingest-archive-").FullName;
    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<string> _output = new();

    [Fact]
    public async Task GivenTheIngestStageWithAnArchive_WhenTheExamplePlaysStreamAndItIsStopped_ThenTheArchiveHoldsEveryPlayWithAPlayedAtAndReplaysToTheExpectedCoPlays()
    {
        string prefix = emulator.UniqueName("ia");
        var options = emulator.Options($"{prefix}-plays", $"{prefix}-ingest");
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureTopicAsync(options.Topic, CancellationToken.None);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        string archive = Path.Combine(_work, "archive");
        int port = FreePort();
        Process ingest = Start(
            "run", "--stage", "ingest",
            "--Transport:Kind=PubSub", $"--Transport:PubSub:ProjectId={PubSubEmulatorFixture.ProjectId}", $"--Transport:PubSub:EmulatorHost={emulator.HostPort}",
            $"--Transport:PubSub:Topic={options.Topic}", $"--Transport:PubSub:Subscription={options.Subscription}",
            $"--Transport:PubSub:RepartitionTopic={prefix}-by-track", "--Transport:PubSub:CreateMissing=true",
            // Retention far enough back that the example's day (2026-11-26) is kept whatever today is.
            $"--Archive:ParquetDir={archive}", "--Archive:RetentionDays=3650", "--Simulator:Enabled=false", $"--Geo:CityDb={TestData.RealCityDb}", $"--Urls=http://127.0.0.1:{port}");

        await using (PubSubPublisher publisher = connection.CreateRawPublisher(options.Topic))
        {
            foreach (string play in File.ReadLines(TestData.Example("plays.jsonl")))
            {
                await publisher.PublishAsync(Encoding.UTF8.GetBytes(play), CancellationToken.None);
            }

            await publisher.FlushAsync(CancellationToken.None);
        }

        (long records, long archived) = await WaitForCountsAsync(port, ingest);
        Assert.True((records, archived) == (3000, PlaysWithAPlayedAt), $"{records} records counted and {archived} archived; lt wrote:\n{Output}");
        await InterruptAsync(ingest);
        Assert.True(ingest.WaitForExit(Patience), $"run --stage ingest did not stop within a minute of SIGINT; lt wrote:\n{Output}");
        Assert.True(ingest.ExitCode == 0, $"run --stage ingest exited with {ingest.ExitCode}; lt wrote:\n{Output}");
        Assert.DoesNotContain("Exception", Output, StringComparison.Ordinal);

        string[] files = [.. Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(archive, f))];
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches(@"^dt=2026-11-26/hour=\d\d/\d{8}T\d{9}Z-[0-9a-f]{8}\.parquet$", f));

        string replayed = Path.Combine(_work, "replayed");
        Process replay = Start("replay", "--input", archive, "--output", replayed, $"--Geo:CityDb={TestData.RealCityDb}");
        Assert.True(replay.WaitForExit(Patience), "replay did not finish within a minute");
        Assert.True(replay.ExitCode == 0, $"replay exited with {replay.ExitCode}; lt wrote:\n{Output}");
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(replayed, "summary.json")));
        JsonElement ineligible = summary.RootElement.GetProperty("ineligible");
        Assert.Equal(PlaysWithAPlayedAt, summary.RootElement.GetProperty("inputRecords").GetInt64());
        Assert.Equal((0, 0), (ineligible.GetProperty("malformed").GetInt64(), ineligible.GetProperty("invalid_played_at").GetInt64()));
        Assert.True(ineligible.GetProperty("private_session").GetInt64() > 0, "ineligible plays with a valid playedAt are archived too");
        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), File.ReadAllText(Path.Combine(replayed, "coplays.jsonl"), Encoding.UTF8));
    }

    private string Output => string.Join('\n', _output);

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }

            process.Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    /// <summary>Reads /metrics until every record is counted and the archived count stops short of nothing (or a minute passes).</summary>
    private static async Task<(long Records, long Archived)> WaitForCountsAsync(int port, Process ingest)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        DateTime giveUp = DateTime.UtcNow + Patience;
        (long, long) counts = (0, 0);
        while (DateTime.UtcNow < giveUp && !ingest.HasExited)
        {
            try
            {
                string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                counts = (Sum(metrics, "lt_plays_total{"), Sum(metrics, "lt_plays_archived_total{"));
                if (counts.Item1 >= 3000 && counts.Item2 >= PlaysWithAPlayedAt)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        return counts;
    }

    private static long Sum(string metrics, string prefix) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static async Task InterruptAsync(Process process)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private Process Start(params string[] arguments)
    {
        // Through env(1) so SIGINT has its default disposition whatever the test runner's is.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(TestData.Root, "src", "Host", "bin", BuildConfiguration, "net10.0", "lt.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("LT__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => _output.Enqueue($"[{arguments[0]}] {e.Data}");
        process.ErrorDataReceived += (_, e) => _output.Enqueue($"[{arguments[0]} stderr] {e.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static string BuildConfiguration =>
        typeof(IngestArchiveEndToEndTests).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
