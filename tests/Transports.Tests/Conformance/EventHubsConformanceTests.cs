using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Abstractions;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.Tests.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>
/// The conformance suite on Event Hubs through the SDK's seams: a four-partition hub of <see cref="PartitionLog"/>s
/// fed by the real <see cref="EventHubsPlayPublisher"/> (over a producer made by the SDK's mocking constructor), read
/// by the real <see cref="EventHubsPlaySource"/> and processor, whose partition pumps start after the checkpoints
/// in the real Blob store on Azurite (a fresh container per test).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventHubsConformanceTests(AzuriteServer azurite) : TransportConformanceTests
{
    protected override Task<TransportUnderTest> CreateTransportAsync()
    {
        // Not created here: the source creates its container at start, as in production.
        var store = new BlobCheckpointStore(azurite.Service.GetBlobContainerClient($"conformance-{Guid.NewGuid():N}"));
        return Task.FromResult<TransportUnderTest>(new EventHubsUnderTest(new TestEventHub(partitionCount: 4), store));
    }

    private sealed class EventHubsUnderTest(TestEventHub hub, BlobCheckpointStore store) : TransportUnderTest
    {
        /// <summary>Short, so checkpoints are written during a run as well as when a reader stops.</summary>
        private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

        private readonly EventHubsPlayPublisher _publisher = new(
            new RecordingProducer(hub, maxEventsPerBatch: 100),
            TestEventHubsProcessor.Options(),
            TimeProvider.System,
            NullLogger.Instance);

        public override IPlayPublisher Publisher => _publisher;

        /// <summary>A restarted reader resumes each partition after its checkpoint, so everything not checkpointed comes back.</summary>
        public override bool RedeliversUnacknowledged => true;

        /// <summary>At once on restart; the idle flush of the restarted worker waits this long for the last of it.</summary>
        public override TimeSpan RedeliveryWithin => TimeSpan.FromSeconds(2);

        public override TimeSpan Patience => TimeSpan.FromSeconds(30);

        /// <summary>A new replica (its own identifier) of the one consumer group, on the shared hub and checkpoint store.</summary>
        public override IPlaySource OpenSource() => new EventHubsPlaySource(
            new TestEventHubsProcessor(store, TimeProvider.System, hub: hub),
            store,
            CheckpointInterval,
            TimeProvider.System,
            NullLogger.Instance);

        public override async Task AssertNothingPendingAsync()
        {
            var reader = new TestEventHubsProcessor(store, TimeProvider.System);
            var expected = new List<(string Partition, long? Checkpoint)>();
            var actual = new List<(string Partition, long? Checkpoint)>();
            foreach (string partition in hub.PartitionIds)
            {
                expected.Add((partition, hub[partition].Events is { Count: > 0 } events ? events[^1].SequenceNumber : null));
                EventProcessorCheckpoint? checkpoint = await reader.ReadCheckpointAsync(partition);
                actual.Add((partition, (checkpoint as BlobCheckpoint)?.SequenceNumber));
            }

            Assert.Equal(expected, actual);
        }

        public override async ValueTask DisposeAsync()
        {
            await _publisher.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
