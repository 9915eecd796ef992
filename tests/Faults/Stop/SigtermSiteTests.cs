using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGTERM", for <c>lt serve --stage site</c> on the Pub/Sub emulator. The site holds no plays, only
/// the co-plays of a window for the moment it waits for the rest of them, so what matters is that it stops well
/// within the grace period with exit code 0 and a clean log while a viewer is connected, and that it cleans up after
/// itself: its own results subscription is deleted (DESIGN.md "One world view"). The first third of the example's
/// co-plays (moved to end now, with one match shard's watermarks) reaches a viewer of the first replica; SIGTERM;
/// the second third is published while none runs; a replica started again under the same name shows the last
/// third, published once it runs, to a viewer who connects (from its first watermark on). Between them the two wrote exactly the first and last
/// thirds to <c>Results:Jsonl</c>, each co-play once: a new subscription starts with what is published after it.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigtermSiteTests(SharedEmulator emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenAViewerOfTheSite_WhenTheSiteGetsSigterm_ThenItStopsCleanlyInTimeDeletesItsSubscriptionAndAReplicaStartedAgainShowsWhatIsPublishedThen()
    {
        var example = MovedExample.EndingNow();
        string[][] windows = [.. example.CoPlays.GroupBy(CoPlayRows.WindowStartOf).Select(window => window.ToArray())];
        int third = windows.Length / 3;
        string[][] before = windows[..third], meanwhile = windows[third..(2 * third)], after = windows[(2 * third)..];
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        using var temp = new TempDirectory();
        string results = temp.Combine("shown.jsonl");
        string[] site = ["serve", "--stage", "site", .. topics.Arguments(), "--Site:ReplicaName=site-a", $"--Results:Jsonl={results}", "--Site:MaxRecentCoPlays=1000", "--Site:RecentSeconds=3600"];
        string ownSubscription = topics.ResultsSubscription + "-site-a";

        using (StageProcess first = await StageProcess.StartAsync("the site", site))
        {
            await using Viewer viewer = await Viewer.ConnectAsync(first.Address);
            Assert.True(await PubSubSubscriptions.ExistsAsync(connection, ownSubscription), $"the site's own subscription {ownSubscription} does not exist while it runs");
            await PublishAsync(connection, topics, before);
            await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) == before.Sum(w => w.Length) && viewer.Pushes.Count > 0), Patience, "the first third to be shown", first.Process);

            await first.TerminateAsync();
            await viewer.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        }

        Assert.False(await PubSubSubscriptions.ExistsAsync(connection, ownSubscription), $"the site's own subscription {ownSubscription} is still there after its clean stop");
        await PublishAsync(connection, topics, meanwhile);
        using StageProcess second = await StageProcess.StartAsync("the restarted site", site);
        await PublishAsync(connection, topics, after);
        int expected = before.Sum(w => w.Length) + after.Sum(w => w.Length);
        await Eventually.HoldsAsync(() => Task.FromResult(CoPlayRows.CountKeys(results) == expected), Patience, "the last third to be shown", second.Process);
        await using (Viewer late = await Viewer.ConnectAsync(second.Address))
        {
            // What the new replica showed: windows of the last third up to its end. Its first windows may be left out, when
            // a later watermark reached the new subscription ahead of the shard's first (Pub/Sub keeps no order); they went
            // to the sinks all the same (checked below). Nothing published while no replica ran.
            await late.RecentArrived.WaitAsync(TimeSpan.FromSeconds(10));
            string[] shown = [.. late.Recent.Select(c => c.WindowStart).Distinct()];
            string[] afterStarts = [.. after.Select(w => CoPlayRows.WindowStartOf(w[0]))];
            Assert.NotEmpty(shown);
            Assert.Equal(afterStarts[^shown.Length..], shown);
        }

        await second.TerminateAsync();
        Assert.Equal(string.Concat(before.Concat(after).SelectMany(w => w).Select(row => row + "\n")), CoPlayRows.Read(results));
    }

    /// <summary>One match shard's results for <paramref name="windows"/>, its first watermark on its own a moment ahead of the rest.</summary>
    private static async Task PublishAsync(PubSubConnection connection, StageTopics topics, string[][] windows)
    {
        await Messages.PublishAsync(connection, topics.Results, [ShardResults.Start(windows[0])]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Messages.PublishAsync(connection, topics.Results, ShardResults.Of(windows));
    }
}
