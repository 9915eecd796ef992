using System.Collections.Concurrent;
using System.Text;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Web;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.PubSub;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// Two <c>serve --stage site</c> replicas on a real Redis backplane, each reading all results through a subscription
/// of its own on the real Pub/Sub emulator (DESIGN.md "One world view"): both push every co-play, each to its own
/// viewers only, so the viewers of both get every co-play exactly once.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class SiteReplicasOnRedisTests(PubSubEmulatorFixture emulator) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task GivenTwoSiteReplicasEachWithItsOwnResultsSubscription_WhenCoPlaysArePublished_ThenViewersOfBothSeeEachOneExactlyOnce()
    {
        string topic = emulator.UniqueName("coplays");
        string[] subscriptions = [emulator.UniqueName("site-a"), emulator.UniqueName("site-b")];
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(emulator.Options(topic, subscriptions[0]));
        await connection.EnsureTopicAsync(topic, CancellationToken.None);
        foreach (string subscription in subscriptions)
        {
            await connection.EnsureSubscriptionAsync(subscription, topic, CancellationToken.None);
        }

        IHost[] sites = [.. subscriptions.Select((subscription, i) => ServeCommand.Build(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Transport:Kind"] = "PubSub",
                ["Transport:PubSub:ProjectId"] = PubSubEmulatorFixture.ProjectId,
                ["Transport:PubSub:EmulatorHost"] = emulator.HostPort,
                ["Transport:PubSub:ResultsTopic"] = topic,
                ["Transport:PubSub:ResultsSubscription"] = subscription,
                ["Site:ReplicaName"] = $"site-{i}",
                // No match shard publishes watermarks here: each window is shown once this is over.
                ["Site:CompletenessTimeoutMs"] = "200",
                ["Push:Kind"] = "Redis",
                ["Push:Redis:ConnectionString"] = _redis.ConnectionString,
            }).Build(),
            StreamingStage.Site))];
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
            // The subscriptions and the viewers' groups are made in the background: probe until pushes reach both replicas' viewers.
            DateTime ready = DateTime.UtcNow + Patience;
            for (int probe = 0; !viewers.All(v => v.Tracks.Any(IsProbe)); probe++)
            {
                Assert.True(DateTime.UtcNow < ready, "The Redis backplane never carried a push to both replicas' viewers.");
                await results.PublishAsync(Result($"probe:{probe}", 30 + (probe % 30), 4 + (probe / 30)), CancellationToken.None);
                await results.FlushAsync(CancellationToken.None);
                await Task.Delay(500);
            }

            string[] expected = [.. Enumerable.Range(0, 20).Select(i => $"spotify:track:{i}")];
            for (int i = 0; i < expected.Length; i++)
            {
                // After every probe's window (minute 4 on), so that none is late for a site that has shown the probes.
                await results.PublishAsync(Result(expected[i], i, 20), CancellationToken.None);
            }

            await results.FlushAsync(CancellationToken.None);
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
    }

    private static bool IsProbe(string trackId) => trackId.StartsWith("probe:", StringComparison.Ordinal);

    private static byte[] Result(string trackId, int second, int minute) => Encoding.UTF8.GetBytes(
        $"{{\"v\":1,\"windowStart\":\"2026-11-26T14:{minute:00}:{second:00}.000Z\",\"trackId\":\"{trackId}\",\"plays\":2,\"locations\":2," +
        "\"a\":{\"geonameId\":1850147,\"city\":\"Tokyo\",\"country\":\"JP\",\"lat\":35.6895,\"lon\":139.69171}," +
        "\"b\":{\"geonameId\":3936456,\"city\":\"Lima\",\"country\":\"PE\",\"lat\":-12.04318,\"lon\":-77.02824},\"distanceKm\":15496.1}");
}
