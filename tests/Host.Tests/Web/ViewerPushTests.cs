using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using static ListeningTogether.Host.Tests.Web.SitePlays;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// What viewers are sent, in-process: at most Pipeline:MaxPerSecond co-plays a second (the farthest), the
/// "right now" tracks counted from every co-play, and Recent limited to the last Site:RecentSeconds of event time.
/// </summary>
public sealed class ViewerPushTests
{
    private const string Far = "spotify:track:far";
    private const string Farther = "spotify:track:farther";
    private const string Near = "spotify:track:near";

    private static string[] TrackIds(JsonElement items) => [.. items.EnumerateArray().Select(i => i.GetProperty("trackId").GetString()!)];

    [Fact]
    public async Task GivenTwoCoPlaysASecondForViewers_WhenThreeTracksCoPlayInOneSecond_ThenViewersGetTheTwoFarthestAndRightNowCountsAllThree()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Pipeline:MaxPerSecond"] = "2" });
        await using HubConnection viewer = site.Viewer();
        var pushes = new ConcurrentQueue<JsonElement>();
        var stats = new ConcurrentQueue<JsonElement>();
        viewer.On<JsonElement>("CoPlays", items => pushes.Enqueue(items));
        viewer.On<JsonElement>("Stats", s => stats.Enqueue(s));
        await viewer.StartAsync();
        long second = SecondsAgo(10);

        await site.PublishAsync(
            Play("n1", Near, "u-1", London, second + 100),
            Play("n2", Near, "u-2", Linkoping, second + 110),
            Play("f1", Far, "u-3", Milton, second + 120),
            Play("f2", Far, "u-4", Boxford, second + 130),
            Play("ff1", Farther, "u-5", London, second + 140),
            Play("ff2", Farther, "u-6", Changchun, second + 150),
            WatermarkMover("w"));
        await SiteHost.EventuallyAsync(() => site.Counters.CoPlays == 3, "three co-plays emitted");
        stats.Clear();
        await SiteHost.EventuallyAsync(() => !stats.IsEmpty, "a Stats push after the co-plays");

        JsonElement push = Assert.Single(pushes);
        Assert.Equal([Far, Farther], TrackIds(push).Order(StringComparer.Ordinal));
        JsonElement s = stats.First();
        Assert.Equal(["playsPerSecond", "eligiblePerSecond", "coPlaysPerSecond", "viewers", "topTracks"], s.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, s.GetProperty("viewers").GetInt32());
        Assert.Equal(
            """[{"trackId":"spotify:track:far","title":null,"artist":null,"coPlays":1},{"trackId":"spotify:track:farther","title":null,"artist":null,"coPlays":1},{"trackId":"spotify:track:near","title":null,"artist":null,"coPlays":1}]""",
            s.GetProperty("topTracks").GetRawText());
    }

    [Fact]
    public async Task GivenRecentSecondsTwo_WhenAViewerConnectsAfterCoPlaysThreeSecondsApart_ThenRecentHoldsOnlyTheLatest()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:RecentSeconds"] = "2" });
        long second = SecondsAgo(12);
        await site.PublishAsync(
            Play("o1", Near, "u-1", London, second + 100),
            Play("o2", Near, "u-2", Linkoping, second + 200),
            Play("l1", Far, "u-3", Milton, second + 3100),
            Play("l2", Far, "u-4", Boxford, second + 3200),
            WatermarkMover("w"));
        await SiteHost.EventuallyAsync(() => site.Counters.CoPlays == 2, "two co-plays emitted");

        await using HubConnection viewer = site.Viewer();
        var recent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.On<JsonElement>("Recent", items => recent.TrySetResult(items));
        await viewer.StartAsync();

        Assert.Equal([Far], TrackIds(await recent.Task.WaitAsync(TimeSpan.FromSeconds(2))));
    }

    [Fact]
    public async Task GivenTwoViewers_WhenStatsArePushed_ThenBothGetThemCountingTwoViewers()
    {
        await using SiteHost site = await SiteHost.StartAsync();
        await using HubConnection first = site.Viewer();
        await using HubConnection second = site.Viewer();
        var toFirst = new ConcurrentQueue<int>();
        var toSecond = new ConcurrentQueue<int>();
        first.On<JsonElement>("Stats", s => toFirst.Enqueue(s.GetProperty("viewers").GetInt32()));
        second.On<JsonElement>("Stats", s => toSecond.Enqueue(s.GetProperty("viewers").GetInt32()));
        await first.StartAsync();
        await second.StartAsync();
        await SiteHost.EventuallyAsync(() => site.Viewers == 2, "the hub to count both viewers");

        // A push computed just before the second viewer counted may still be on its way: look at the next ones.
        toFirst.Clear();
        toSecond.Clear();
        await SiteHost.EventuallyAsync(() => toFirst.Count >= 2 && toSecond.Count >= 2, "two more Stats pushes to each viewer");

        Assert.Equal(2, toFirst.Last());
        Assert.Equal(2, toSecond.Last());
    }
}
