using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGTERM while windows are open", for <c>lt run</c> and <c>lt serve</c> (every stage in one
/// process, the site too with serve) on the Pub/Sub emulator. The example's plays, moved to end now, are all
/// received and held in open windows (lateness and idle flush far beyond the test) when SIGTERM comes. The process
/// stops within the grace period with exit code 0 and a clean log, having emitted nothing, and hands back every play
/// it held: the example's eligible records, named in one log line. Started again (with a short idle flush), it gets
/// exactly those back at once, none late, and its results are exactly the example's co-plays, each once.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigtermAllStagesTests(SharedEmulator emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("run")]
    [InlineData("serve")]
    public async Task GivenEveryPlayHeldInOpenWindows_WhenTheProcessGetsSigterm_ThenItStopsCleanlyInTimeAndOnceStartedAgainWritesExactlyTheirCoPlays(string verb)
    {
        var example = MovedExample.EndingNow();
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        using var temp = new TempDirectory();
        string results = temp.Combine("coplays.jsonl");
        string[] stage = [verb, .. topics.Arguments(), .. StageSettings.Common(), StageSettings.HoldWindows, $"--Results:Jsonl={results}"];

        using (StageProcess first = await StageProcess.StartAsync($"lt {verb}", [.. stage, StageSettings.NeverFlush]))
        {
            await Messages.PublishAsync(connection, topics.Plays, example.Plays);
            await Eventually.HoldsAsync(async () => await first.MetricAsync("lt_plays_total") == example.Plays.Count, Patience, "every play to be counted", first.Process);
            Assert.Equal(0, await first.MetricAsync("lt_windows_emitted_total"));
            Assert.True(await first.MetricAsync("lt_windows_open") > 0, "no window was open when the signal came");

            (LtResult stopped, _) = await first.TerminateAsync();
            Assert.Contains($"stopped: {example.EligibleRecords} unacknowledged messages handed back for redelivery", stopped.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal("", CoPlayRows.Read(results));
        using StageProcess second = await StageProcess.StartAsync($"the restarted lt {verb}", [.. stage, StageSettings.FlushWhenQuiet]);
        await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) >= example.CoPlays.Count), Patience, "the co-plays of the plays that came back", second.Process);
        Assert.Equal(example.EligibleRecords, await second.MetricAsync("lt_plays_total"));
        await second.TerminateAsync();
        Assert.Equal(string.Concat(example.CoPlays.Select(row => row + "\n")), CoPlayRows.Read(results));
    }
}
