using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ListeningTogether.Host.Web;
using ListeningTogether.Tests.Shared;
using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// With the Redis backplane, <c>/readyz</c> says whether pushes can reach other replicas' viewers (DESIGN.md
/// "Failure, exit codes and readiness": the push backplane, when configured, can write).
/// </summary>
public sealed class PushReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task GivenTheRedisBackplane_WhenRedisStopsAndComesBack_ThenReadinessNamesPushMeanwhileAndIsReadyAgain()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?>
        {
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = _redis.ConnectionString,
        });
        await UntilAsync(site, HttpStatusCode.OK);

        await _redis.StopAsync();
        string down = await UntilAsync(site, HttpStatusCode.ServiceUnavailable);
        await _redis.StartAsync();
        await UntilAsync(site, HttpStatusCode.OK);

        Assert.StartsWith("Unhealthy: not ready: push: Push:Redis:ConnectionString: ", down, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenRedisAwayWhenTheSiteStarts_WhenRedisStarts_ThenTheSiteBecomesReadyAndPushesReachItsViewers()
    {
        await _redis.StopAsync();

        // Without abortConnect=false, as an operator may write it; with a short connect timeout, so that Redis comes
        // back only after the site's first connect (three tries) has given up.
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?>
        {
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = $"127.0.0.1:{_redis.Port},connectTimeout=1000",
        });
        string down = await UntilAsync(site, HttpStatusCode.ServiceUnavailable);
        await Task.Delay(TimeSpan.FromSeconds(6));
        await _redis.StartAsync();
        await UntilAsync(site, HttpStatusCode.OK);
        await using HubConnection viewer = site.Viewer();
        var tracks = new ConcurrentQueue<string>();
        viewer.On<CoPlayView[]>("CoPlays", items => items.ToList().ForEach(i => tracks.Enqueue(i.TrackId)));
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.On<CoPlayView[]>("Recent", _ => joined.TrySetResult());
        await viewer.StartAsync();
        // The hub sends Recent once the viewer is in the replica's group, which pushes go to (subscribed on Redis by then).
        await joined.Task.WaitAsync(Patience);
        long second = SitePlays.SecondsAgo(10);
        await site.PublishAsync(
            SitePlays.Play("a", "spotify:track:after", "u-1", SitePlays.London, second + 100),
            SitePlays.Play("b", "spotify:track:after", "u-2", SitePlays.Milton, second + 200),
            SitePlays.WatermarkMover("w"));

        await SiteHost.EventuallyAsync(() => tracks.Contains("spotify:track:after"), "the co-play pushed through Redis to the viewer");
        Assert.StartsWith("Unhealthy: not ready: push: Push:Redis:ConnectionString: ", down, StringComparison.Ordinal);
    }

    private static async Task<string> UntilAsync(SiteHost site, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await site.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == status)
            {
                return body;
            }

            Assert.True(clock.Elapsed < Patience, $"/readyz stayed {(int)response.StatusCode} ({body}) for {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
