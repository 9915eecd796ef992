using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGTERM while windows are open", for <c>lt run --stage match</c> on the Pub/Sub emulator, fed by a
/// running ingest stage. The match stage has received every repartitioned play of the example (moved to end now)
/// and holds them in open windows when SIGTERM comes. It stops within the grace period with exit code 0 and a clean
/// log, having published nothing, and hands back every play it held: the example's eligible records. Started again
/// (with a short idle flush), it gets exactly those back, and the results topic carries exactly the example's
/// co-plays.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigtermMatchTests(SharedEmulator emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenEveryRepartitionedPlayHeldInOpenWindows_WhenTheMatchStageGetsSigterm_ThenItStopsCleanlyInTimeAndOnceStartedAgainPublishesExactlyTheirCoPlays()
    {
        var example = MovedExample.EndingNow();
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        await using var results = new TopicReader(connection, topics.ResultsSubscription, topics.Results);
        using StageProcess ingest = await StageProcess.StartAsync("the ingest stage", ["run", "--stage", "ingest", .. topics.Arguments(), .. StageSettings.Common()]);
        string[] match = ["run", "--stage", "match", .. topics.Arguments(), .. StageSettings.Common(), StageSettings.HoldWindows];

        using (StageProcess first = await StageProcess.StartAsync("the match stage", [.. match, StageSettings.NeverFlush]))
        {
            await Messages.PublishAsync(connection, topics.Plays, example.Plays);
            await Eventually.HoldsAsync(async () => await first.MetricAsync("lt_plays_total") == example.EligibleRecords, Patience, "every repartitioned play to be counted", first.Process, ingest.Process);
            Assert.Equal(0, await first.MetricAsync("lt_windows_emitted_total"));
            Assert.True(await first.MetricAsync("lt_windows_open") > 0, "no window was open when the signal came");

            var (stopped, _) = await first.TerminateAsync();
            Assert.Contains($"stopped: {example.EligibleRecords} unacknowledged messages handed back for redelivery", stopped.Stdout, StringComparison.Ordinal);
        }

        Assert.Empty(results.CoPlays);
        using StageProcess second = await StageProcess.StartAsync("the restarted match stage", [.. match, StageSettings.FlushWhenQuiet]);
        await Eventually.HoldsAsync(() => Task.FromResult(results.CoPlays.Count >= example.CoPlays.Count), Patience, "the co-plays of the plays that came back on the results topic", second.Process);
        Assert.Equal(example.EligibleRecords, await second.MetricAsync("lt_plays_total"));
        await second.TerminateAsync();
        await ingest.TerminateAsync();
        Assert.Equal(CoPlayRows.Ordered(example.CoPlays.Select(MovedExample.ResultsMessage)), CoPlayRows.Ordered(results.CoPlays));
    }
}
