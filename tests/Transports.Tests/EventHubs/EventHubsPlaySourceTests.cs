using Azure;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using ListeningTogether.Abstractions;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>The play source around the processor: it creates the checkpoint container, hands events over and checkpoints on its interval.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventHubsPlaySourceTests(AzuriteServer azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GivenASourceBeingRead_WhenEventsArriveAndAreAcknowledged_ThenTheyAreCheckpointedOnTheNextIntervalOnly()
    {
        BlobContainerClient container = azurite.Service.GetBlobContainerClient($"source-{Guid.NewGuid():N}");
        var store = new BlobCheckpointStore(container);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 14, 10, 0, TimeSpan.Zero));
        var processor = new TestEventHubsProcessor(store, clock);
        var source = new EventHubsPlaySource(processor, store, TimeSpan.FromSeconds(5), clock, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using IAsyncEnumerator<IReceivedMessage> reader = source.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        ValueTask<bool> first = reader.MoveNextAsync();

        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append("a"u8.ToArray(), "b"u8.ToArray()).Events);
        Assert.True(await first.AsTask().WaitAsync(Patience));
        IReceivedMessage a = reader.Current;
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Patience));
        await a.AckAsync(CancellationToken.None);

        Assert.True(await container.ExistsAsync(), "the source did not create the checkpoint container");
        Assert.Null(await processor.ReadCheckpointAsync("0"));
        clock.Advance(TimeSpan.FromSeconds(5));
        BlobCheckpoint checkpoint = await WaitForCheckpointAsync(processor);
        Assert.Equal(0, checkpoint.SequenceNumber);
        Assert.Equal("a"u8.ToArray(), a.Payload.ToArray());

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.MoveNextAsync());
    }

    [Fact]
    public async Task GivenAStoreThatFailsOnceWithoutAnHttpAnswer_WhenCheckpointingPeriodically_ThenTheNextIntervalWritesTheCheckpoint()
    {
        BlobContainerClient container = azurite.Service.GetBlobContainerClient($"source-{Guid.NewGuid():N}");
        var store = new BlobCheckpointStore(container);
        var away = new StoreAwayForWrites(store, failures: 1);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 14, 10, 0, TimeSpan.Zero));
        var processor = new TestEventHubsProcessor(away, clock);
        var source = new EventHubsPlaySource(processor, store, TimeSpan.FromSeconds(5), clock, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using IAsyncEnumerator<IReceivedMessage> reader = source.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        ValueTask<bool> first = reader.MoveNextAsync();
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append("a"u8.ToArray()).Events);
        Assert.True(await first.AsTask().WaitAsync(Patience));
        await reader.Current.AckAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(5));
        await away.Failed.Task.WaitAsync(Patience);
        Assert.Null(await processor.ReadCheckpointAsync("0"));
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, (await WaitForCheckpointAsync(processor)).SequenceNumber);
    }

    private static async Task<BlobCheckpoint> WaitForCheckpointAsync(TestEventHubsProcessor processor)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await processor.ReadCheckpointAsync("0") is BlobCheckpoint checkpoint)
            {
                return checkpoint;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>
    /// The Blob store, away for its first few checkpoint writes the way the Storage client reports it once its
    /// retries are spent: an AggregateException of transport failures, with no HTTP answer.
    /// </summary>
    private sealed class StoreAwayForWrites(CheckpointStore store, int failures) : ForwardingCheckpointStore(store)
    {
        private int _left = failures;

        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, string clientIdentifier, CheckpointPosition startingPosition, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _left) >= 0)
            {
                Failed.TrySetResult();
                return Task.FromException(new AggregateException(
                    "Retry failed after 3 tries.",
                    Enumerable.Range(0, 3).Select(_ => new RequestFailedException("Connection refused (127.0.0.1:10000)"))));
            }

            return base.UpdateCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, clientIdentifier, startingPosition, cancellationToken);
        }

    }
}
