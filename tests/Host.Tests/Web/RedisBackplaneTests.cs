using System.Collections.Concurrent;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
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
/// Two <c>serve --stage site</c> replicas on a real Redis backplane, each consuming a different share of the
/// results (as competing consumers do): a viewer of either replica gets every co-play.
/// </summary>
public sealed class RedisBackplaneTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private async Task<(IHost Host, Uri Hub)> StartSiteAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = redis.ConnectionString,
        };
        IHost host = ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), StreamingStage.Site);
        await host.StartAsync();
        string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (host, new Uri(address.TrimEnd('/') + CoPlayHub.Path));
    }

    private static async Task<(HubConnection Connection, ConcurrentBag<string> Tracks)> ViewAsync(Uri hub)
    {
        var tracks = new ConcurrentBag<string>();
        HubConnection connection = new HubConnectionBuilder().WithUrl(hub).Build();
        connection.On<CoPlayView[]>("CoPlays", items =>
        {
            foreach (CoPlayView item in items)
            {
                tracks.Add(item.TrackId);
            }
        });
        await connection.StartAsync();
        return (connection, tracks);
    }

    private static string Result(string trackId, int second, int minute = 3) =>
        $"{{\"v\":1,\"windowStart\":\"2026-11-26T14:{minute:00}:{second:00}.000Z\",\"trackId\":\"{trackId}\",\"plays\":2,\"locations\":2," +
        "\"a\":{\"geonameId\":1850147,\"city\":\"Tokyo\",\"country\":\"JP\",\"lat\":35.6895,\"lon\":139.69171}," +
        "\"b\":{\"geonameId\":3936456,\"city\":\"Lima\",\"country\":\"PE\",\"lat\":-12.04318,\"lon\":-77.02824},\"distanceKm\":15496.1}";

    [Fact]
    public async Task GivenTwoSiteReplicasOnRedis_WhenEachConsumesHalfTheResults_ThenViewersOfBothSeeEveryCoPlay()
    {
        var (first, firstHub) = await StartSiteAsync();
        var (second, secondHub) = await StartSiteAsync();
        try
        {
            var (firstViewer, firstTracks) = await ViewAsync(firstHub);
            var (secondViewer, secondTracks) = await ViewAsync(secondHub);
            await using (firstViewer)
            await using (secondViewer)
            {
                // The backplane subscribes to Redis in the background: probe until a push from either replica reaches both viewers.
                IKeyedPublisher firstResults = first.Services.GetRequiredService<IScaleOutTransport>().OpenResultsPublisher();
                DateTime ready = DateTime.UtcNow + Patience;
                for (int probe = 0; !(firstTracks.Contains($"probe:{probe - 1}") && secondTracks.Contains($"probe:{probe - 1}")); probe++)
                {
                    Assert.True(DateTime.UtcNow < ready, "The Redis backplane never carried a push to both replicas' viewers.");
                    await firstResults.PublishAsync("probe", Encoding.UTF8.GetBytes(Result($"probe:{probe}", 30 + (probe % 30), minute: 4 + (probe / 30))), CancellationToken.None);
                    await Task.Delay(300);
                }

                string[] expected = [.. Enumerable.Range(0, 10).Select(i => $"spotify:track:{i}")];
                for (int i = 0; i < expected.Length; i++)
                {
                    IHost consumer = i % 2 == 0 ? first : second;
                    IKeyedPublisher results = consumer.Services.GetRequiredService<IScaleOutTransport>().OpenResultsPublisher();
                    await results.PublishAsync(expected[i], Encoding.UTF8.GetBytes(Result(expected[i], i)), CancellationToken.None);
                }

                DateTime giveUp = DateTime.UtcNow + Patience;
                while ((!expected.All(firstTracks.Contains) || !expected.All(secondTracks.Contains)) && DateTime.UtcNow < giveUp)
                {
                    await Task.Delay(50);
                }

                Assert.Equal(expected, firstTracks.Where(t => !t.StartsWith("probe:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
                Assert.Equal(expected, secondTracks.Where(t => !t.StartsWith("probe:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            await first.StopAsync();
            await second.StopAsync();
            first.Dispose();
            second.Dispose();
        }
    }

    [Fact]
    public async Task GivenASiteReplica_WhenStarted_ThenItIsReadyOnlyOnceItReadsTheResults()
    {
        var (host, _) = await StartSiteAsync();
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
