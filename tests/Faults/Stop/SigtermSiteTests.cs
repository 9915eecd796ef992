using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGTERM", for <c>lt serve --stage site</c> on the Pub/Sub emulator. The site holds no plays, only
/// the co-plays of a window for the moment it waits for the rest of them, so what matters is that it stops well
/// within the grace period with exit code 0 and a clean log while a viewer is connected, and that the co-plays
/// published while no replica ran are kept for the next one. The first half of the example's co-plays (moved to
/// end now) reaches a viewer of the first replica; SIGTERM; the second half is published; a replica started again
/// shows every one of its windows to a viewer who connects, and between them the two wrote every co-play to
/// <c>Results:Jsonl</c> exactly once.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigtermSiteTests(SharedEmulator emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenAViewerOfTheSite_WhenTheSiteGetsSigterm_ThenItStopsCleanlyInTimeAndAReplicaStartedAgainShowsWhatWasPublishedMeanwhile()
    {
        var example = MovedExample.EndingNow();
        string[] windows = [.. example.CoPlays.Select(CoPlayRows.WindowStartOf).Distinct()];
        string[] before = [.. example.CoPlays.Where(row => string.CompareOrdinal(CoPlayRows.WindowStartOf(row), windows[windows.Length / 2]) < 0)];
        string[] meanwhile = [.. example.CoPlays.Except(before)];
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        using var temp = new TempDirectory();
        string results = temp.Combine("shown.jsonl");
        // A catch-up on connecting large enough for the half minute of co-plays published while no replica ran.
        string[] site = ["serve", "--stage", "site", .. topics.Arguments(), $"--Results:Jsonl={results}", "--Site:MaxRecentCoPlays=1000"];

        using (StageProcess first = await StageProcess.StartAsync("the site", site))
        {
            await using Viewer viewer = await Viewer.ConnectAsync(first.Address);
            await Messages.PublishAsync(connection, topics.Results, before.Select(MovedExample.ResultsMessage));
            await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) == before.Length && viewer.Pushes.Count > 0), Patience, "the first half to be shown", first.Process);

            await first.TerminateAsync();
            await viewer.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        }

        await Messages.PublishAsync(connection, topics.Results, meanwhile.Select(MovedExample.ResultsMessage));
        using StageProcess second = await StageProcess.StartAsync("the restarted site", site);
        await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) == example.CoPlays.Count), Patience, "the co-plays published meanwhile to be shown", second.Process);
        await using (Viewer late = await Viewer.ConnectAsync(second.Address))
        {
            // Every window has a co-play, so each is among the recent ones a viewer gets at once.
            await late.RecentArrived.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(meanwhile.Select(CoPlayRows.WindowStartOf).Distinct(), late.Recent.Select(c => c.WindowStart).Distinct());
        }

        await second.TerminateAsync();
        Assert.Equal(string.Concat(example.CoPlays.Select(row => row + "\n")), CoPlayRows.Read(results));
    }
}
