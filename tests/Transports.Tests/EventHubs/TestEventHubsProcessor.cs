using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The project's processor with the SDK's own seams opened for tests: its protected processing path is called
/// directly, as the SDK's partition pumps would. The checkpoint store is the real one. Its connection string points
/// at a closed loopback port and is never used: nothing reaches a network.
/// </summary>
internal sealed class TestEventHubsProcessor : EventHubsPlayProcessor
{
    public const string Namespace = "127.0.0.1";
    public const string Hub = "plays";

    public TestEventHubsProcessor(CheckpointStore store, TimeProvider clock, EventHubsTransportOptions? options = null)
        : base(store, options ?? Options(), clock, NullLogger.Instance)
    {
    }

    public static EventHubsTransportOptions Options(string? identifier = null) => new()
    {
        ConnectionString = $"Endpoint=sb://{Namespace}:1/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==;EntityPath={Hub};UseDevelopmentEmulator=true",
        ConsumerGroup = "$Default",
        Identifier = identifier,
        ReceiveBufferCapacity = 100_000,
        CheckpointStore = new EventHubsCheckpointStoreOptions { ConnectionString = "UseDevelopmentStorage=true", Container = "unused" },
    };

    /// <summary>What the SDK does when this replica starts processing a partition it claimed.</summary>
    public Task InitializePartitionAsync(string partitionId) =>
        OnInitializingPartitionAsync(new TestPartition(partitionId), CancellationToken.None);

    /// <summary>What a partition pump does with each batch it read.</summary>
    public Task DeliverAsync(string partitionId, IEnumerable<EventData> events, CancellationToken cancellationToken = default) =>
        OnProcessingEventBatchAsync(events, new TestPartition(partitionId), cancellationToken);

    /// <summary>What the SDK does when a partition's processing ends (shutdown, or ownership lost to another replica).</summary>
    public Task StopPartitionAsync(string partitionId, ProcessingStoppedReason reason) =>
        OnPartitionProcessingStoppedAsync(new TestPartition(partitionId), reason, CancellationToken.None);

    /// <summary>The checkpoint the SDK would start a partition from, read through the processor from the store.</summary>
    public Task<EventProcessorCheckpoint> ReadCheckpointAsync(string partitionId) =>
        GetCheckpointAsync(partitionId, CancellationToken.None);

    public Task ReportErrorAsync(Exception exception, string partitionId) =>
        OnProcessingErrorAsync(exception, new TestPartition(partitionId), "test", CancellationToken.None);

    /// <summary>The SDK checks the hub before starting; there is no hub here (its loop then retries in vain, harmlessly).</summary>
    protected override Task ValidateProcessingPreconditions(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class TestPartition : EventProcessorPartition
    {
        public TestPartition(string partitionId)
        {
            PartitionId = partitionId;
        }
    }
}
