using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>The batching publisher on the real emulator: flush, ordering keys, and a missing topic.</summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubPublisherTests(PubSubEmulatorFixture emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Play(string eventId, string trackId) =>
        $"{{\"eventId\":\"{eventId}\",\"trackId\":\"{trackId}\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}}";

    private static async Task<List<string>> ReadAsync(PubSubSubscriber subscriber, int count)
    {
        using var stop = new CancellationTokenSource(Patience);
        var read = new List<string>();
        await foreach (IReceivedMessage message in subscriber.ReadAllAsync(stop.Token))
        {
            read.Add(Encoding.UTF8.GetString(message.Payload.Span));
            await message.AckAsync(CancellationToken.None);
            if (read.Count == count)
            {
                break;
            }
        }

        return read;
    }

    [Fact]
    public async Task GivenALongBatchDelay_WhenFlushReturns_ThenEveryPublishedMessageWasTakenAndCanBeRead()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), o => o.PublishBatchDelayMs = 10_000);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic);
        string[] plays = [.. Enumerable.Range(0, 2500).Select(i => Play("e" + i, "t"))];

        foreach (string play in plays)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(play), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(2500, publisher.Published);
        Assert.Equal(plays.Order(StringComparer.Ordinal), (await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 2500)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenTrackIdOrderingKeys_WhenPlaysOfTwoTracksArePublishedInterleaved_ThenAnOrderedSubscriptionDeliversEachTrackInOrder()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("ordered"), o =>
        {
            o.OrderingKey = OrderingKeyUsage.TrackId;
            o.PublishBatchCount = 7;
        });
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        await using (PubSubPublisher publisher = connection.CreatePublisher(options.Topic))
        {
            for (int i = 0; i < 300; i++)
            {
                await publisher.PublishAsync(Encoding.UTF8.GetBytes(Play($"{i:D4}", i % 2 == 0 ? "even" : "odd")), CancellationToken.None);
            }

            await publisher.FlushAsync(CancellationToken.None);
        }

        List<string> read = await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 300);

        foreach (string track in new[] { "even", "odd" })
        {
            string[] ofTrack = [.. read.Where(p => p.Contains($"\"trackId\":\"{track}\"", StringComparison.Ordinal))];
            Assert.Equal(150, ofTrack.Length);
            Assert.Equal(ofTrack.Order(StringComparer.Ordinal), ofTrack);
        }
    }

    [Fact]
    public async Task GivenATopicThatDoesNotExist_WhenPublishedWithoutCreateMissing_ThenFlushFailsNamingTheTopic()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("missing"), emulator.UniqueName("pipeline"), o => o.CreateMissing = false);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic);

        await publisher.PublishAsync(Encoding.UTF8.GetBytes(Play("e1", "t")), CancellationToken.None);
        var e = await Assert.ThrowsAsync<PubSubException>(async () => await publisher.FlushAsync(CancellationToken.None));
        Assert.Equal(0, publisher.Published);

        Assert.Equal($"Publishing to projects/lt-test/topics/{options.Topic} failed: NotFound: Topic not found", e.Message);
        await Assert.ThrowsAsync<PubSubException>(async () => await publisher.PublishAsync(Encoding.UTF8.GetBytes(Play("e2", "t")), CancellationToken.None));
    }

    [Fact]
    public async Task GivenCreateMissing_WhenThePlaysPublisherSendsBeforeAnyReader_ThenThePipelinesSubscriptionWasCreatedAndHoldsThePlays()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"));
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await using (PubSubPublisher publisher = connection.CreatePublisher(options.Topic, options.Subscription))
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(Play("first", "t")), CancellationToken.None);
            await publisher.FlushAsync(CancellationToken.None);
        }

        Assert.Equal([Play("first", "t")], await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 1));
    }
}
