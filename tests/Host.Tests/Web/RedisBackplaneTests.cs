using System.Collections.Concurrent;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Web;
using ListeningTogether.Streaming;
using ListeningTogether.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Two <c>serve --stage site</c> replicas on a real Redis backplane. Every replica reads all results, so both push
/// the same co-plays (DESIGN.md "One world view"); each pushes to its own viewers only (its SignalR group, carried
/// through Redis like any push), so a viewer of either replica gets each co-play exactly once and never the other
/// replica's pushes.
/// </summary>
public sealed class RedisBackplaneTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>How long a viewer is given to get a push it must not get (a second copy, or another replica's).</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly long Minute = DateTimeOffset.Parse("2026-11-26T14:03:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private async Task<IHost> StartSiteAsync(string replicaName)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = redis.ConnectionString,
            ["Site:ReplicaName"] = replicaName,
        };
        IHost host = ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), StreamingStage.Site);
        await host.StartAsync();
        return host;
    }

    /// <summary>A viewer of <paramref name="site"/>, once the hub has sent its Recent (so it has joined the replica's group).</summary>
    private static async Task<Viewer> ViewAsync(IHost site)
    {
        string address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var viewer = new Viewer(new HubConnectionBuilder().WithUrl(new Uri(address.TrimEnd('/') + CoPlayHub.Path)).Build());
        await viewer.Connection.StartAsync();
        await viewer.Joined.Task.WaitAsync(Patience);
        return viewer;
    }

    /// <summary>Pushes <paramref name="coPlays"/> from <paramref name="site"/> as its site stage does, one window at a time.</summary>
    private static async Task PushAsync(IHost site, params CoPlay[] coPlays)
    {
        ICoPlayViewerSink viewers = site.Services.GetRequiredService<ICoPlayViewerSink>();
        foreach (IGrouping<long, CoPlay> window in coPlays.GroupBy(c => c.WindowStartMs))
        {
            await viewers.ShowAsync([.. window], CancellationToken.None);
        }
    }

    private static CoPlay CoPlay(int second, string trackId) =>
        new(Minute + (second * 1000L), trackId, 2, 2, Plays.London, Plays.Linkoping, Plays.LondonLinkopingKm);

    private static string Key(CoPlay coPlay) =>
        $"{DateTimeOffset.FromUnixTimeMilliseconds(coPlay.WindowStartMs):yyyy-MM-dd'T'HH:mm:ss} {coPlay.TrackId}";

    private static async Task StopAsync(params IHost[] sites)
    {
        foreach (IHost site in sites)
        {
            await site.StopAsync();
            site.Dispose();
        }
    }

    [Fact]
    public async Task GivenTwoSiteReplicasOnRedis_WhenBothPushTheSameCoPlays_ThenEachViewerGetsEachExactlyOnce()
    {
        IHost first = await StartSiteAsync("site-a");
        IHost second = await StartSiteAsync("site-b");
        try
        {
            await using Viewer firstViewer = await ViewAsync(first);
            await using Viewer secondViewer = await ViewAsync(second);
            CoPlay[] coPlays = [.. Enumerable.Range(0, 5).SelectMany(s => new[] { CoPlay(s, $"spotify:track:{s}a"), CoPlay(s, $"spotify:track:{s}b") })];

            foreach (CoPlay coPlay in coPlays)
            {
                await PushAsync(first, coPlay);
                await PushAsync(second, coPlay);
            }

            string[] expected = [.. coPlays.Select(Key)];
            await firstViewer.ReceivedAsync(expected.Length);
            await secondViewer.ReceivedAsync(expected.Length);
            await Task.Delay(Grace);
            Assert.Equal(expected, firstViewer.CoPlays);
            Assert.Equal(expected, secondViewer.CoPlays);
        }
        finally
        {
            await StopAsync(first, second);
        }
    }

    [Fact]
    public async Task GivenTwoSiteReplicasOnRedis_WhenEachPushesItsOwnCoPlay_ThenNoViewerGetsTheOtherReplicasPushThroughTheBackplane()
    {
        IHost first = await StartSiteAsync("site-a");
        IHost second = await StartSiteAsync("site-b");
        try
        {
            await using Viewer firstViewer = await ViewAsync(first);
            await using Viewer secondViewer = await ViewAsync(second);
            CoPlay fromSecond = CoPlay(7, "spotify:track:from-b");
            CoPlay fromFirst = CoPlay(8, "spotify:track:from-a");

            await PushAsync(second, fromSecond);
            await secondViewer.ReceivedAsync(1);
            await PushAsync(first, fromFirst);
            await firstViewer.ReceivedAsync(1);
            await Task.Delay(Grace);

            Assert.Equal([Key(fromFirst)], firstViewer.CoPlays);
            Assert.Equal([Key(fromSecond)], secondViewer.CoPlays);
        }
        finally
        {
            await StopAsync(first, second);
        }
    }

    /// <summary>A SignalR viewer recording the (windowStart, trackId) of each co-play pushed to it, in order.</summary>
    private sealed class Viewer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _coPlays = new();

        public Viewer(HubConnection connection)
        {
            Connection = connection;
            connection.On<CoPlayView[]>("CoPlays", items =>
            {
                foreach (CoPlayView item in items)
                {
                    _coPlays.Enqueue($"{DateTimeOffset.Parse(item.WindowStart, CultureInfo.InvariantCulture).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss} {item.TrackId}");
                }
            });
            connection.On<CoPlayView[]>("Recent", _ => Joined.TrySetResult());
        }

        public HubConnection Connection { get; }

        public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> CoPlays => [.. _coPlays];

        public async Task ReceivedAsync(int count)
        {
            DateTime giveUp = DateTime.UtcNow + Patience;
            while (_coPlays.Count < count)
            {
                Assert.True(DateTime.UtcNow < giveUp, $"The viewer got {_coPlays.Count} co-plays, not {count}.");
                await Task.Delay(20);
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    [Fact]
    public async Task GivenASiteReplica_WhenStarted_ThenItIsReadyOnlyOnceItReadsTheResults()
    {
        IHost host = await StartSiteAsync("site-a");
        try
        {
            DateTime giveUp = DateTime.UtcNow + Patience;
            while (!host.Services.GetServices<IStageStatus>().Single().IsReading && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(20);
            }

            Assert.True(host.Services.GetServices<IStageStatus>().Single().IsReading);
            Assert.Empty(host.Services.GetServices<StreamingPipeline>());
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
