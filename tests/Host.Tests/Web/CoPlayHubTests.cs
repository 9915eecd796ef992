using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static ListeningTogether.Host.Tests.Web.SitePlays;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// The push-only hub /hub/coplays of <c>serve</c>, in-process with the real SignalR client: nothing can be invoked,
/// a late viewer gets the recent co-plays at once, and one address holds at most Site:MaxConnectionsPerAddress connections.
/// </summary>
public sealed class CoPlayHubTests
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("Anything")]
    [InlineData("OnConnectedAsync")]
    [InlineData("OnDisconnectedAsync")]
    public async Task GivenAConnectedViewer_WhenItInvokesAHubMethod_ThenTheServerRefusesItAsAMethodThatDoesNotExist(string method)
    {
        await using SiteHost site = await SiteHost.StartAsync();
        await using HubConnection viewer = site.Viewer();
        await viewer.StartAsync();

        var refused = await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync(method));

        Assert.Equal($"Failed to invoke '{method}' due to an error on the server. HubException: Method does not exist.", refused.Message);
        Assert.Equal(HubConnectionState.Connected, viewer.State);
    }

    [Fact]
    public async Task GivenNoCoPlayYet_WhenAViewerConnects_ThenItGetsAnEmptyRecentAtOnce()
    {
        await using SiteHost site = await SiteHost.StartAsync();
        await using HubConnection viewer = site.Viewer();
        var recent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.On<JsonElement>("Recent", items => recent.TrySetResult(items));

        await viewer.StartAsync();

        Assert.Equal("[]", (await recent.Task.WaitAsync(AtOnce)).GetRawText());
    }

    [Fact]
    public async Task GivenCoPlaysPushedEarlier_WhenAViewerConnects_ThenItGetsThemInRecentAtOnce()
    {
        await using SiteHost site = await SiteHost.StartAsync();
        await using HubConnection early = site.Viewer();
        var pushed = new ConcurrentQueue<string>();
        early.On<JsonElement>("CoPlays", items =>
        {
            foreach (JsonElement item in items.EnumerateArray())
            {
                pushed.Enqueue(item.GetProperty("trackId").GetString()!);
            }
        });
        await early.StartAsync();
        long second = SecondsAgo(10);
        await site.PublishAsync(
            Play("e1", "spotify:track:first", "u-1", London, second + 100),
            Play("e2", "spotify:track:first", "u-2", Linkoping, second + 200),
            Play("e3", "spotify:track:second", "u-3", Milton, second + 1100),
            Play("e4", "spotify:track:second", "u-4", Changchun, second + 1200),
            WatermarkMover("e5"));
        await SiteHost.EventuallyAsync(() => pushed.Count == 2, "two co-plays pushed to the early viewer");

        await using HubConnection late = site.Viewer();
        var recent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        late.On<JsonElement>("Recent", items => recent.TrySetResult(items));
        await late.StartAsync();
        JsonElement items = await recent.Task.WaitAsync(AtOnce);

        Assert.Equal(["spotify:track:first", "spotify:track:second"], items.EnumerateArray().Select(i => i.GetProperty("trackId").GetString()));
        JsonElement first = items[0];
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(second).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("windowStart").GetString());
        Assert.Equal("""{"city":"London","country":"GB","lat":51.5,"lon":-0.1}""", first.GetProperty("a").GetRawText());
        Assert.Equal("""{"city":"Linköping","country":"SE","lat":58.4,"lon":15.6}""", first.GetProperty("b").GetRawText());
        Assert.Equal(2, first.GetProperty("plays").GetInt64());
        Assert.Equal(1257.7, first.GetProperty("distanceKm").GetDouble());
    }

    [Fact]
    public async Task GivenTwoConnectionsPerAddressAllowed_WhenAThirdConnectsFromTheSameAddress_ThenItIsClosedAndTheOthersStay()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:MaxConnectionsPerAddress"] = "2" });
        await using HubConnection first = site.Viewer();
        await using HubConnection second = site.Viewer();
        await using HubConnection third = site.Viewer();
        var viewersSeen = new ConcurrentQueue<int>();
        first.On<JsonElement>("Stats", stats => viewersSeen.Enqueue(stats.GetProperty("viewers").GetInt32()));
        var thirdClosed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        int thirdRecents = 0;
        third.On<JsonElement>("Recent", _ => Interlocked.Increment(ref thirdRecents));
        third.Closed += e =>
        {
            thirdClosed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await first.StartAsync();
        await second.StartAsync();

        await third.StartAsync();
        await thirdClosed.Task.WaitAsync(SiteHost.Patience);

        Assert.Equal(HubConnectionState.Disconnected, third.State);
        Assert.Equal(0, Volatile.Read(ref thirdRecents));
        Assert.Equal(HubConnectionState.Connected, first.State);
        Assert.Equal(HubConnectionState.Connected, second.State);
        viewersSeen.Clear();
        await SiteHost.EventuallyAsync(() => !viewersSeen.IsEmpty, "a Stats push after the refusal");
        Assert.Equal(2, viewersSeen.First());
    }

    [Fact]
    public async Task GivenTheAddressAtItsLimit_WhenOneOfItsViewersLeaves_ThenANewConnectionIsAccepted()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:MaxConnectionsPerAddress"] = "1" });
        await using HubConnection first = site.Viewer();
        await first.StartAsync();
        await first.StopAsync();
        await SiteHost.EventuallyAsync(() => site.Viewers == 0, "the server to see the first viewer leave");

        await using HubConnection next = site.Viewer();
        var recent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        next.On<JsonElement>("Recent", items => recent.TrySetResult(items));
        await next.StartAsync();

        Assert.Equal("[]", (await recent.Task.WaitAsync(AtOnce)).GetRawText());
        Assert.Equal(HubConnectionState.Connected, next.State);
    }
}
