using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A split stage's publisher at a stop: disposing the repartition publisher sends what its shards still buffer, so
/// the container can dispose it before the connection and no send is left running on a closed channel.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class RepartitionPublisherStopTests(PubSubEmulatorFixture emulator)
{
    private const int Shards = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GivenPlaysBufferedForTheShards_WhenTheRepartitionPublisherIsDisposedWithoutAFlush_ThenEveryOneReachesItsShard()
    {
        string prefix = emulator.UniqueName("rp");
        PubSubTransportOptions options = emulator.Options($"{prefix}-plays", $"{prefix}-pipeline", o =>
        {
            o.ShardCount = Shards;
            o.RepartitionTopic = $"{prefix}-by-track";
            o.PublishBatchDelayMs = 10_000;
        });
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        string[] shardTopics = [.. Enumerable.Range(0, Shards).Select(k => $"{options.RepartitionTopic}-shard-{k}")];
        foreach (string topic in shardTopics)
        {
            await connection.EnsureSubscriptionAsync(topic, topic, CancellationToken.None);
        }

        string[] tracks = [.. Enumerable.Range(0, 20).Select(i => $"spotify:track:{i}")];
        IKeyedPublisher publisher = new PubSubScaleOut(connection, options, _ => null).OpenRepartitionPublisher();
        foreach (string track in tracks)
        {
            await publisher.PublishAsync(track, Encoding.UTF8.GetBytes(track), CancellationToken.None);
        }

        await ((IAsyncDisposable)publisher).DisposeAsync().AsTask().WaitAsync(Patience);

        var received = new List<string>();
        foreach (string topic in shardTopics)
        {
            received.AddRange(await ReadAllNowAsync(connection.CreateSubscriber(topic, topic)));
        }

        Assert.Equal(tracks.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    /// <summary>What the subscription holds: read until nothing more comes for a few seconds.</summary>
    private static async Task<List<string>> ReadAllNowAsync(PubSubSubscriber subscriber)
    {
        var read = new List<string>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(quiet.Token))
            {
                read.Add(Encoding.UTF8.GetString(message.Payload.Span));
                await message.AckAsync(CancellationToken.None);
                quiet.CancelAfter(TimeSpan.FromSeconds(3));
            }
        }
        catch (OperationCanceledException) when (quiet.IsCancellationRequested)
        {
            // Nothing more came.
        }

        return read;
    }
}
