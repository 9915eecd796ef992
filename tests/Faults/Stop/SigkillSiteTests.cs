using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGKILL of one stage", for the site: one <c>lt serve --stage site</c> replica on the Pub/Sub
/// emulator, a viewer connected to it, one match shard's results arriving a window at a time (the example's co-plays,
/// moved to end now, each window followed by the shard's watermark). The replica is killed with SIGKILL: its viewer's
/// connection drops within 10 s (a page then reconnects to whichever replica the service offers). While none runs,
/// ten more windows are published. A replica started again (a new pod, a subscription of its own) serves the live
/// co-plays again: a viewer connected to it is pushed a window published after it connected within 10 s, and every
/// window published after it started, each once. The windows published while no replica ran are not shown: DESIGN.md
/// "One world view" shows a new subscription only windows after its first watermarks (the killed replica's
/// subscription expires by itself).
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigkillSiteTests(SharedEmulator emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GivenAViewerOfTheOnlySiteReplica_WhenItIsKilledAndAnotherStarted_ThenAViewerOfTheNewOneIsPushedLiveCoPlaysWithinTenSecondsAndShownEveryWindowSinceOnce()
    {
        var example = MovedExample.EndingNow();
        string[][] windows = [.. example.CoPlays.GroupBy(CoPlayRows.WindowStartOf).Select(window => window.ToArray())];
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        string[] site = ["serve", "--stage", "site", .. topics.Arguments()];

        using (StageProcess killed = await StageProcess.StartAsync("the site replica", site))
        {
            await using Viewer viewer = await Viewer.ConnectAsync(killed.Address);
            await PublishAsync(connection, topics, windows[..10]);
            await Eventually.HoldsAsync(() => Task.FromResult(viewer.Pushes.Count > 0), Patience, "the viewer to be pushed co-plays", killed.Process);

            await killed.KillAsync();
            await viewer.Closed.WaitAsync(Promptly);
        }

        await PublishAsync(connection, topics, windows[10..20]);
        using StageProcess replacement = await StageProcess.StartAsync("the new site replica", site);
        await using Viewer late = await Viewer.ConnectAsync(replacement.Address);
        HashSet<string> live = [.. windows[20..].Select(Start)];
        Task streaming = PublishAsync(connection, topics, windows[20..], TimeSpan.FromMilliseconds(200));
        await Eventually.HoldsAsync(() => Task.FromResult(late.Pushes.Any(push => live.Contains(push.CoPlays[0].WindowStart))), Promptly, "a viewer of the new replica to be pushed a live window", replacement.Process);
        await streaming;

        // Every window from a few seconds after the first live one: a later watermark may reach the new subscription ahead
        // of the shard's first (Pub/Sub keeps no order), and the replica then starts showing a little later.
        string[] settled = [.. windows[35..].Select(Start)];
        await Eventually.HoldsAsync(() => Task.FromResult(settled.All(Shown(late).Contains)), Patience, "every window published since the new replica settled to be shown", replacement.Process);
        string[] live20 = [.. windows[20..].Select(Start)];
        string[] shownLive = [.. live20.Where(Shown(late).Contains)];
        Assert.Equal(live20[^shownLive.Length..], shownLive);
        Assert.DoesNotContain(Shown(late), windows[10..20].Select(Start).Contains);
        string[] pushedTwice = [.. late.Pushes.GroupBy(push => push.CoPlays[0].WindowStart).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.True(pushedTwice.Length == 0, $"windows pushed more than once: {string.Join(", ", pushedTwice)}");
        await replacement.TerminateAsync();
    }

    private static string Start(string[] window) => CoPlayRows.WindowStartOf(window[0]);

    private static HashSet<string> Shown(Viewer viewer) =>
        [.. viewer.Recent.Select(c => c.WindowStart), .. viewer.Pushes.SelectMany(push => push.CoPlays).Select(c => c.WindowStart)];

    /// <summary>
    /// Publishes each window's co-plays and the shard's watermark after them, as a match stage does, <paramref name="apart"/>
    /// after the previous window; the shard's first watermark goes out on its own first.
    /// </summary>
    private static async Task PublishAsync(PubSubConnection connection, StageTopics topics, string[][] windows, TimeSpan apart = default)
    {
        await Messages.PublishAsync(connection, topics.Results, [ShardResults.Start(windows[0])]);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        foreach (string[] window in windows)
        {
            await Messages.PublishAsync(connection, topics.Results, ShardResults.Of([window]));
            await Task.Delay(apart);
        }
    }
}
