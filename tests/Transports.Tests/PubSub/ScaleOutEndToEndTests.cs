using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.Tests.Fixtures;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// DESIGN.md "Scale-out" on the real emulator with the real executable: plays on the plays topic, 2 ingest and 2
/// match processes (shards 0 and 1), results in each match process's idempotent JSONL sink. Together they give
/// exactly the co-plays of replay, also when one match process is killed with SIGKILL mid-stream and started again.
/// Lateness and the idle flush both exceed the subscriptions' 10 s ack deadline, so the restarted process still
/// places the plays the killed one held when they come back; with a kill, both also exceed the minute a busy emulator
/// has been seen to take to hand expired messages out again (the idle flush would otherwise emit a window before
/// all of its plays are back).
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class ScaleOutEndToEndTests(PubSubEmulatorFixture emulator) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);
    private readonly string _work = Directory.CreateTempSubdirectory("lt-scaleout-").FullName;
    private readonly List<Process> _processes = [];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GivenTwoIngestAndTwoMatchProcesses_WhenThePlaysStream_ThenTheirResultsAreExactlyReplays(bool killOneMatchMidStream)
    {
        string prefix = emulator.UniqueName("so");
        var options = emulator.Options($"{prefix}-plays", $"{prefix}-ingest", o =>
        {
            o.RepartitionTopic = $"{prefix}-by-track";
            o.ResultsTopic = $"{prefix}-coplays";
            o.ShardCount = 2;
        });
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        // Every subscription exists before anything is published to its topic, so nothing is lost.
        foreach (string shard in new[] { $"{prefix}-by-track-shard-0", $"{prefix}-by-track-shard-1" })
        {
            await connection.EnsureTopicAsync(shard, CancellationToken.None);
            await connection.EnsureSubscriptionAsync(shard, shard, CancellationToken.None);
        }

        await connection.EnsureTopicAsync(options.Topic, CancellationToken.None);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);

        string[] settings =
        [
            $"--Transport:Kind=PubSub", $"--Transport:PubSub:ProjectId={PubSubEmulatorFixture.ProjectId}", $"--Transport:PubSub:EmulatorHost={emulator.HostPort}",
            $"--Transport:PubSub:Topic={options.Topic}", $"--Transport:PubSub:Subscription={options.Subscription}",
            $"--Transport:PubSub:RepartitionTopic={options.RepartitionTopic}", $"--Transport:PubSub:ResultsTopic={options.ResultsTopic}",
            "--Transport:PubSub:ShardCount=2", "--Transport:PubSub:CreateMissing=true", "--Transport:PubSub:AckDeadlineSeconds=10",
            killOneMatchMidStream ? "--Pipeline:AllowedLatenessMs=180000" : "--Pipeline:AllowedLatenessMs=60000",
            killOneMatchMidStream ? "--Pipeline:IdleFlushMs=90000" : "--Pipeline:IdleFlushMs=20000",
            "--Simulator:Enabled=false", $"--Geo:CityDb={TestData.RealCityDb}",
            "--Urls=http://127.0.0.1:0",
        ];
        Start(["run", "--stage", "ingest", .. settings]);
        Start(["run", "--stage", "ingest", .. settings]);
        string[] results = [Path.Combine(_work, "match-0.jsonl"), Path.Combine(_work, "match-1.jsonl")];
        string[] Match(int shard) => ["run", "--stage", "match", .. settings, $"--Transport:PubSub:ShardIndex={shard}", $"--Results:Jsonl={results[shard]}"];
        Start(Match(0));
        Process second = Start(Match(1));

        string[] plays = [.. File.ReadLines(TestData.Example("plays.jsonl"))
            .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal)];
        await using (PubSubPublisher publisher = connection.CreateRawPublisher(options.Topic))
        {
            for (int i = 0; i < plays.Length; i++)
            {
                await publisher.PublishAsync(Encoding.UTF8.GetBytes(plays[i]), CancellationToken.None);
                if (killOneMatchMidStream && i == plays.Length / 2)
                {
                    await publisher.FlushAsync(CancellationToken.None);
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    second.Kill(entireProcessTree: true);
                    await second.WaitForExitAsync();
                    Start(Match(1));
                }
            }

            await publisher.FlushAsync(CancellationToken.None);
        }

        string expected = File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8);
        int expectedRows = expected.Count(c => c == '\n');
        DateTime giveUp = DateTime.UtcNow + Patience;
        string[] rows = [];
        while (DateTime.UtcNow < giveUp)
        {
            rows = [.. results.Where(File.Exists).SelectMany(File.ReadLines)];
            if (rows.Length >= expectedRows)
            {
                break;
            }

            await Task.Delay(500);
        }

        // The union of both shards' rows in DESIGN.md's order (window start, then track id by UTF-8 bytes).
        string actual = string.Concat(rows
            .Select(row => (Row: row, Key: JsonDocument.Parse(row).RootElement))
            .OrderBy(r => r.Key.GetProperty("windowStart").GetString(), StringComparer.Ordinal)
            .ThenBy(r => Encoding.UTF8.GetBytes(r.Key.GetProperty("trackId").GetString()!), ByteOrder.Instance)
            .Select(r => r.Row + "\n"));
        Assert.Equal(expected, actual);
    }

    private Process Start(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TestData.Root, "src", "Host", "bin", BuildConfiguration, "net10.0", "lt.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static string BuildConfiguration =>
        typeof(ScaleOutEndToEndTests).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

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

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
