using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>A checkpoint store that hands every call to another: the base of test stores that watch or break one kind of call.</summary>
internal abstract class ForwardingCheckpointStore(CheckpointStore store) : CheckpointStore
{
    public override Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken) =>
        store.ListOwnershipAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, cancellationToken);

    public override Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken) =>
        store.ClaimOwnershipAsync(desiredOwnership, cancellationToken);

    public override Task<EventProcessorCheckpoint?> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken) =>
        store.GetCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, cancellationToken);

    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, string clientIdentifier, CheckpointPosition startingPosition, CancellationToken cancellationToken) =>
        store.UpdateCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, clientIdentifier, startingPosition, cancellationToken);

    [Obsolete("Offsets are strings; the processor calls the overload taking a CheckpointPosition.")]
    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, long offset, long? sequenceNumber, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The processor writes checkpoints by CheckpointPosition.");
}
