using System.Globalization;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Pipeline.ScaleOut;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGKILL of one stage", for ingest: the split stages on the Pub/Sub emulator (ingest, the repartition
/// shard topic, match, the results topic). The example's plays (moved to end now) stream in for five seconds; once
/// ingest has taken a third of them it is killed with SIGKILL and a new one is started while they stream on. What the
/// killed one held comes back after the ack deadline (in a few rounds of it: the emulator goes on handing messages to
/// the dead process's streams for a while) and is republished. Once every eligible play of the example has reached
/// the repartition topic (a subscription of the test's own counts them), a last repartitioned play, later than the
/// example by more than the lateness, closes every window of it by the watermark. The match stage's results are then
/// exactly the co-plays replay gives for the same plays: none lost, no row twice.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigkillIngestTests(SharedEmulator emulator)
{
    /// <summary>Longer than the example's minute: no window of it closes before the closing play.</summary>
    private const int LatenessMs = 75_000;

    /// <summary>The example's minute in five seconds.</summary>
    private const int PlaysPerSecond = 600;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task GivenPlaysStreamingThroughTheSplitStages_WhenIngestIsKilledAndStartedAgain_ThenTheResultsAreExactlyReplays()
    {
        var example = MovedExample.EndingNow();
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        string observer = topics.Shard + "-observer";
        await connection.EnsureSubscriptionAsync(observer, topics.Shard, CancellationToken.None);
        await using var repartitioned = new TopicReader(connection, observer, topics.Shard);
        using var temp = new TempDirectory();
        string results = temp.Combine("coplays.jsonl");
        string[] ingest = ["run", "--stage", "ingest", .. topics.Arguments(), .. StageSettings.Common()];
        using StageProcess match = await StageProcess.StartAsync("the match stage", [
            "run", "--stage", "match", .. topics.Arguments(), .. StageSettings.Common(), $"--Results:Jsonl={results}",
            $"--Pipeline:AllowedLatenessMs={LatenessMs}", StageSettings.NeverFlush, "--Pipeline:MaxFutureSkewMs=300000"]);

        using StageProcess killed = await StageProcess.StartAsync("the ingest stage", ingest);
        Task streaming = Messages.StreamAsync(connection, topics.Plays, example.Plays, PlaysPerSecond);
        await Eventually.HoldsAsync(async () => await killed.MetricAsync("lt_plays_total") >= example.Plays.Count / 3, Patience, "ingest to take a third of the plays", killed.Process);
        await killed.KillAsync();
        using StageProcess restarted = await StageProcess.StartAsync("the restarted ingest stage", ingest);
        await streaming;
        await Eventually.HoldsAsync(
            () => Task.FromResult(DistinctPlays(repartitioned.Payloads) == example.EligiblePlays),
            Patience,
            $"every one of the {example.EligiblePlays} eligible plays to reach the repartition topic",
            restarted.Process,
            match.Process);

        await Messages.PublishAsync(connection, topics.Shard, [ClosingPlay(example)]);
        await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) >= example.CoPlays.Count), Patience, "the co-plays of every window", match.Process);
        await match.TerminateAsync();
        await restarted.TerminateAsync();
        Assert.Equal(string.Concat(example.CoPlays.Select(row => row + "\n")), CoPlayRows.Read(results));
    }

    /// <summary>Distinct plays by DESIGN.md's count: (window, track, event id); a republished copy is the same play.</summary>
    private static int DistinctPlays(IEnumerable<string> messages) => messages.Select(message =>
    {
        using JsonDocument json = JsonDocument.Parse(message);
        JsonElement play = json.RootElement;
        long window = DateTimeOffset.Parse(play.GetProperty("playedAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        return (window, play.GetProperty("trackId").GetString(), play.GetProperty("eventId").GetString());
    }).Distinct().Count();

    /// <summary>A lone repartitioned play (no co-play of its own) past the example by more than the lateness: the watermark passes every window of the example.</summary>
    private static string ClosingPlay(MovedExample example)
    {
        using var message = new RepartitionMessage();
        DateTimeOffset playedAt = example.End.AddMilliseconds(LatenessMs + 1000);
        return Encoding.UTF8.GetString(message.Write(
            "closing"u8, "spotify:track:closing"u8, playedAt.ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow, new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171)).Span);
    }
}
