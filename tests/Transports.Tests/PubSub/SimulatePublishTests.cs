using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary><c>simulate --publish --rate R --plays N</c> to the Pub/Sub emulator: N live plays arrive on the topic.</summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class SimulatePublishTests(PubSubEmulatorFixture emulator)
{
    [Fact]
    public async Task GivenThePubSubTransport_WhenSimulatePublishesAtARate_ThenEveryPlayArrivesWithAnEventTimeOfAboutNow()
    {
        string topic = emulator.UniqueName("plays"), subscription = emulator.UniqueName("pipeline");
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "PubSub",
            ["Transport:PubSub:ProjectId"] = PubSubEmulatorFixture.ProjectId,
            ["Transport:PubSub:EmulatorHost"] = emulator.HostPort,
            ["Transport:PubSub:Topic"] = topic,
            ["Transport:PubSub:Subscription"] = subscription,
        }).Build();
        PubSubTransportOptions options = emulator.Options(topic, subscription);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureSubscriptionAsync(subscription, topic, CancellationToken.None);
        var (simulator, _) = SimulatorFactory.Create(new GeoOptions { CityDb = TestData.RealCityDb }, new SimulatorOptions(), 250);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        int exit = await SimulatePublish.RunAsync(configuration, simulator, rate: 2000, plays: 3000, CancellationToken.None);

        Assert.Equal(0, exit);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read = 0, playsWithTime = 0;
        await foreach (IReceivedMessage message in connection.CreateSubscriber(subscription, topic).ReadAllAsync(stop.Token))
        {
            await message.AckAsync(CancellationToken.None);
            if (TryPlayedAt(message.Payload, out DateTimeOffset playedAt))
            {
                Assert.InRange(playedAt.ToUnixTimeMilliseconds(), before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
                playsWithTime++;
            }

            if (++read == 3000)
            {
                break;
            }
        }

        Assert.True(playsWithTime > 2900, $"{playsWithTime} of 3000 plays had a readable playedAt");
    }

    [Fact]
    public async Task GivenTheInMemoryTransport_WhenSimulatePublishes_ThenItIsRefusedNamingTransportKind()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().Build();
        var (simulator, _) = SimulatorFactory.Create(new GeoOptions { CityDb = TestData.RealCityDb }, new SimulatorOptions(), 250);

        var e = await Assert.ThrowsAsync<SettingsException>(() => SimulatePublish.RunAsync(configuration, simulator, 10, 10, CancellationToken.None));

        Assert.Equal("simulate --publish sends plays to the configured transport, and Transport:Kind is InMemory, which lives inside one process: set Transport:Kind (e.g. PubSub).", e.Message);
    }

    private static bool TryPlayedAt(ReadOnlyMemory<byte> payload, out DateTimeOffset playedAt)
    {
        playedAt = default;
        try
        {
            using var play = JsonDocument.Parse(payload);
            return play.RootElement.ValueKind == JsonValueKind.Object
                && play.RootElement.TryGetProperty("playedAt", out JsonElement value)
                && value.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out playedAt);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
