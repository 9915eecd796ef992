using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Grpc.Core;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Web;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// Two <c>serve --stage site</c> replicas on a real Redis backplane, each reading all results through a subscription
/// of its own on the real Pub/Sub emulator (DESIGN.md "One world view"): both push every co-play of every complete
/// window, each to its own viewers only, so the viewers of both get every co-play exactly once; a clean stop deletes
/// the replicas' subscriptions.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class SiteReplicasOnRedisTests(PubSubEmulatorFixture emulator) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset FirstWindow = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);
    private static readonly string[] Replicas = ["site-a", "site-b"];
    private readonly RedisServer _redis = new();
    private readonly SortedDictionary<long, int> _counts = [];
    private int _windows;

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task GivenTwoSiteReplicasEachWithItsOwnResultsSubscription_WhenCoPlaysAndWatermarksArePublished_ThenViewersOfBothSeeEachOneExactlyOnce()
    {
        string topic = emulator.UniqueName("coplays"), subscription = emulator.UniqueName("site");
        var options = emulator.Options(topic, subscription);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureTopicAsync(topic, CancellationToken.None);
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Transport:Kind"] = "PubSub",
            ["Transport:PubSub:ProjectId"] = PubSubEmulatorFixture.ProjectId,
            ["Transport:PubSub:EmulatorHost"] = emulator.HostPort,
            ["Transport:PubSub:ResultsTopic"] = topic,
            ["Transport:PubSub:ResultsSubscription"] = subscription,
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = _redis.ConnectionString,

            // Windows are shown only once the watermarks say they are complete, never after a timeout.
            ["Site:CompletenessTimeoutMs"] = "60000",
        };
        IHost[] sites = [.. Replicas.Select(replica => ServeCommand.Build(
            new ConfigurationBuilder().AddInMemoryCollection(settings).AddInMemoryCollection([new("Site:ReplicaName", replica)]).Build(), StreamingStage.Site))];
        var viewers = new List<(HubConnection Connection, ConcurrentBag<string> Tracks)>();
        try
        {
            foreach (IHost site in sites)
            {
                await site.StartAsync();
                string address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                var tracks = new ConcurrentBag<string>();
                HubConnection viewer = new HubConnectionBuilder().WithUrl(new Uri(address.TrimEnd('/') + CoPlayHub.Path)).Build();
                viewer.On<CoPlayView[]>("CoPlays", items => items.ToList().ForEach(i => tracks.Add(i.TrackId)));
                await viewer.StartAsync();
                viewers.Add((viewer, tracks));
            }

            await using PubSubPublisher results = connection.CreateRawPublisher(topic);
            // The replicas create their subscriptions and the viewers' groups in the background, and a site shows only
            // windows after the first watermark it read: probe, a window each, until pushes reach both replicas' viewers.
            DateTime ready = DateTime.UtcNow + Patience;
            for (int probe = 0; !viewers.All(v => v.Tracks.Any(IsProbe)); probe++)
            {
                Assert.True(DateTime.UtcNow < ready, "The Redis backplane never carried a push to both replicas' viewers.");
                await PublishWindowAsync(results, [$"probe:{probe}"]);
                await Task.Delay(500);
            }

            // Several co-plays a window, several windows at once: each replica must have all of them, not a share.
            string[] expected = [.. Enumerable.Range(0, 20).Select(i => $"spotify:track:{i}")];
            foreach (string[] window in expected.Chunk(5))
            {
                await PublishWindowAsync(results, window);
            }

            DateTime giveUp = DateTime.UtcNow + Patience;
            while (!viewers.All(v => expected.All(v.Tracks.Contains)) && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(100);
            }

            // A second copy (the other replica's push) would come about as soon as the first.
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var (_, tracks) in viewers)
            {
                Assert.Equal(expected.Order(StringComparer.Ordinal), tracks.Where(t => !IsProbe(t)).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            foreach (var (viewer, _) in viewers)
            {
                await viewer.DisposeAsync();
            }

            foreach (IHost site in sites)
            {
                await site.StopAsync();
                site.Dispose();
            }
        }

        foreach (string replica in Replicas)
        {
            Assert.False(await ExistsAsync(connection, $"{subscription}-{replica}"), $"The subscription of {replica} is still there after its clean stop.");
        }
    }

    private static bool IsProbe(string trackId) => trackId.StartsWith("probe:", StringComparison.Ordinal);

    /// <summary>
    /// As match shard 0 of 1 does: a window's co-plays, then its watermark with how many co-plays each window of the
    /// last 10 s had (Pub/Sub keeps no order: a later watermark may overtake an earlier one).
    /// </summary>
    private async Task PublishWindowAsync(PubSubPublisher results, string[] trackIds)
    {
        DateTimeOffset window = FirstWindow.AddSeconds(Interlocked.Increment(ref _windows));
        foreach (string trackId in trackIds)
        {
            await results.PublishAsync(CoPlay(trackId, window), CancellationToken.None);
        }

        long start = window.ToUnixTimeMilliseconds(), end = start + 1000;
        _counts[start] = trackIds.Length;
        string counts = string.Join(",", _counts.Where(c => c.Key >= end - 10_000).Select(c => string.Create(CultureInfo.InvariantCulture, $"\"{c.Key}\":{c.Value}")));
        await results.PublishAsync(
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"v\":1,\"watermark\":{end},\"shard\":0,\"shards\":1,\"counts\":{{{counts}}}}}")),
            CancellationToken.None);
        await results.FlushAsync(CancellationToken.None);
    }

    private static async Task<bool> ExistsAsync(PubSubConnection connection, string subscription)
    {
        try
        {
            await connection.SubscriberClient.GetSubscriptionAsync(new GetSubscriptionRequest { Subscription = connection.SubscriptionName(subscription) });
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    private static byte[] CoPlay(string trackId, DateTimeOffset window) => Encoding.UTF8.GetBytes(
        $"{{\"v\":1,\"shard\":0,\"windowStart\":\"{window.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\",\"trackId\":\"{trackId}\",\"plays\":2,\"locations\":2," +
        "\"a\":{\"geonameId\":1850147,\"city\":\"Tokyo\",\"country\":\"JP\",\"lat\":35.6895,\"lon\":139.69171}," +
        "\"b\":{\"geonameId\":3936456,\"city\":\"Lima\",\"country\":\"PE\",\"lat\":-12.04318,\"lon\":-77.02824},\"distanceKm\":15496.1}");
}
