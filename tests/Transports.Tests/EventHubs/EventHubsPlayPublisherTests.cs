using System.Text;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>The batching producer: order, batch limits, partition keys, retries after failures, backpressure.</summary>
public sealed class EventHubsPlayPublisherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static EventHubsPlayPublisher CreateSut(RecordingProducer producer, int queueCapacity = 1000) =>
        new(producer, new EventHubsTransportOptions { PublishQueueCapacity = queueCapacity, PublishBatchMaxEvents = 1000 }, TimeProvider.System, NullLogger.Instance);

    private static byte[] Play(int i) => Encoding.UTF8.GetBytes("{\"eventId\":\"e-" + i + "\"}");

    private static string PlayText(int i) => Encoding.UTF8.GetString(Play(i));

    [Fact]
    public async Task GivenManyPlays_WhenPublishedAndFlushed_ThenAllAreSentInOrderInBatchesWithinTheLimit()
    {
        var producer = new RecordingProducer(maxEventsPerBatch: 10);
        await using EventHubsPlayPublisher publisher = CreateSut(producer);

        for (int i = 0; i < 95; i++)
        {
            await publisher.PublishAsync(Play(i), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 95).Select(PlayText), producer.SentPayloads);
        Assert.All(producer.Sent, batch => Assert.InRange(batch.Payloads.Count, 1, 10));
        Assert.All(producer.Sent, batch => Assert.Null(batch.PartitionId));
        Assert.InRange(producer.Sent.Count, 10, 95);
        Assert.Equal(95, publisher.Sent);
        Assert.Equal(0, publisher.Dropped);
    }

    [Fact]
    public async Task GivenPlaysWithPartitionKeys_WhenSent_ThenEveryPlayOfAKeyGoesToOnePartitionInBatchesAddressedToIt()
    {
        var producer = new RecordingProducer(maxEventsPerBatch: 50);
        await using EventHubsPlayPublisher publisher = CreateSut(producer);
        var router = new PartitionKeyRouter(producer.PartitionIds);

        for (int i = 0; i < 200; i++)
        {
            await publisher.PublishAsync(Play(i), $"spotify:track:t{i % 20}", CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(200, producer.SentPayloads.Count);
        Assert.All(producer.Sent, batch => Assert.Contains(batch.PartitionId, producer.PartitionIds));
        for (int i = 0; i < 200; i++)
        {
            var (partitionId, _, _) = Assert.Single(producer.Sent, b => b.Payloads.Contains(PlayText(i)));
            Assert.Equal(router.PartitionFor($"spotify:track:t{i % 20}"), partitionId);
        }

        Assert.True(producer.Sent.Select(b => b.PartitionId).Distinct().Count() > 1, "all keys went to one partition");
    }

    [Fact]
    public async Task GivenTheHubFailsTwice_WhenPublishing_ThenTheBatchIsSentAgainAndNothingIsLost()
    {
        var producer = new RecordingProducer { FailingSends = 2 };
        await using EventHubsPlayPublisher publisher = CreateSut(producer);

        for (int i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(Play(i), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 5).Select(PlayText), producer.SentPayloads);
        Assert.Equal(0, producer.FailingSends);
        Assert.Equal(5, publisher.Sent);
    }

    [Fact]
    public async Task GivenAPlayLargerThanABatchMayHold_WhenPublished_ThenItAloneIsDroppedAndCounted()
    {
        var producer = new RecordingProducer { MaxEventBytes = 100 };
        await using EventHubsPlayPublisher publisher = CreateSut(producer);

        await publisher.PublishAsync(Play(1), CancellationToken.None);
        await publisher.PublishAsync(new byte[500], CancellationToken.None);
        await publisher.PublishAsync(Play(3), CancellationToken.None);
        await publisher.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal([PlayText(1), PlayText(3)], producer.SentPayloads);
        Assert.Equal(1, publisher.Dropped);
        Assert.Equal(2, publisher.Sent);
    }

    [Fact]
    public async Task GivenAFullQueueWhileTheHubIsSlow_WhenPublishing_ThenThePublisherWaitsUntilSendsGoThrough()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producer = new RecordingProducer { Gate = gate.Task };
        await using EventHubsPlayPublisher publisher = CreateSut(producer, queueCapacity: 2);

        // The sender takes the first play and blocks sending it; two more fill the queue.
        await publisher.PublishAsync(Play(0), CancellationToken.None);
        await Task.Delay(100);
        await publisher.PublishAsync(Play(1), CancellationToken.None);
        await publisher.PublishAsync(Play(2), CancellationToken.None);
        ValueTask fourth = publisher.PublishAsync(Play(3), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(fourth.IsCompleted, "a publish finished while the queue was full");

        gate.SetResult();
        await fourth.AsTask().WaitAsync(Patience);
        await publisher.FlushAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 4).Select(PlayText), producer.SentPayloads);
    }

    [Theory]
    [InlineData("", 0xcbf29ce484222325)]
    [InlineData("a", 0xaf63dc4c8601ec8c)]
    [InlineData("foobar", 0x85944171f73967e8)]
    public void GivenAKey_WhenHashed_ThenItIsFnv1a64OfItsUtf8Bytes(string key, ulong expected)
    {
        Assert.Equal(expected, ListeningTogether.Abstractions.TrackShard.Fnv1a64(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void GivenAKeyWithNonAsciiLetters_WhenRouted_ThenItsPartitionIsTheHashOfItsUtf8BytesModTheCount()
    {
        var router = new PartitionKeyRouter(["0", "1", "2"]);
        const string key = "spotify:track:Линköping";

        string partition = router.PartitionFor(key);

        Assert.Equal(((int)(ListeningTogether.Abstractions.TrackShard.Fnv1a64(Encoding.UTF8.GetBytes(key)) % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture), partition);
        Assert.Equal(partition, router.PartitionFor(key));
    }
}
