using System.Collections.Concurrent;
using System.Threading.Channels;
using Azure.Core;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// The Event Hubs processor of this project: the SDK's load balancing over <see cref="BlobCheckpointStore"/>
/// spreads the partitions over the replicas; each partition's events go, in order, into one bounded channel the
/// pipeline reads (a full channel makes the partitions' receivers wait). Checkpoints are written only for what
/// the pipeline acknowledged (<see cref="PartitionAckTracker"/>).
/// </summary>
/// <remarks>Not sealed: tests drive the processing path through the protected members in a subclass.</remarks>
internal partial class EventHubsPlayProcessor : PluggableCheckpointStoreEventProcessor<EventProcessorPartition>
{
    private readonly ConcurrentDictionary<string, PartitionAckTracker> _partitions = new(StringComparer.Ordinal);
    private readonly Channel<EventHubsMessage> _received;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private string[]? _partitionIds;

    /// <summary>A processor signing in with a connection string.</summary>
    public EventHubsPlayProcessor(CheckpointStore checkpointStore, EventHubsTransportOptions options, TimeProvider clock, ILogger logger)
        : base(checkpointStore, options.ReceiveBatchSize, options.ConsumerGroup, options.ConnectionString!, EventHubsClientFactory.HubOrEntityPath(options, options.ResolvedEventHubName), ProcessorOptions(options))
    {
        (_received, _clock, _logger) = (CreateChannel(options), clock, logger);
    }

    /// <summary>A processor signing in with a token credential (Workload Identity).</summary>
    public EventHubsPlayProcessor(CheckpointStore checkpointStore, EventHubsTransportOptions options, TokenCredential credential, TimeProvider clock, ILogger logger)
        : base(checkpointStore, options.ReceiveBatchSize, options.ConsumerGroup, options.FullyQualifiedNamespace!, options.ResolvedEventHubName, credential, ProcessorOptions(options))
    {
        (_received, _clock, _logger) = (CreateChannel(options), clock, logger);
    }

    /// <summary>The events of every owned partition, each partition in order.</summary>
    public ChannelReader<EventHubsMessage> Received => _received.Reader;

    /// <summary>The partitions this replica processes now.</summary>
    public IReadOnlyCollection<string> OwnedPartitions => [.. _partitions.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every partition of the hub, in the service's order; null until the first load-balancing cycle asked for them.</summary>
    public IReadOnlyList<string>? PartitionIds => Volatile.Read(ref _partitionIds);

    /// <summary>Whether this replica processes <paramref name="partitionId"/> now.</summary>
    public bool Owns(string partitionId) => _partitions.ContainsKey(partitionId);

    /// <summary>Writes, for every owned partition whose acknowledged position moved, a checkpoint at that position.</summary>
    public async Task WriteCheckpointsAsync(CancellationToken cancellationToken)
    {
        foreach (PartitionAckTracker partition in _partitions.Values)
        {
            await WriteCheckpointAsync(partition, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnProcessingEventBatchAsync(IEnumerable<EventData> events, EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        PartitionAckTracker tracker = _partitions.GetOrAdd(partition.PartitionId, NewTracker);
        foreach (EventData e in events)
        {
            var message = new EventHubsMessage(tracker, e.EventBody.ToMemory(), CheckpointPosition.FromEvent(e), _clock.GetUtcNow());

            // Tracked before it is handed over, so an ack can never arrive for a message the tracker has not seen.
            tracker.Track(message);
            await _received.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task OnInitializingPartitionAsync(EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        PartitionAckTracker fresh = NewTracker(partition.PartitionId);
        _partitions.AddOrUpdate(partition.PartitionId, fresh, (_, old) =>
        {
            old.Close();
            return fresh;
        });
        LogPartitionClaimed(_logger, EventHubName, partition.PartitionId);
        return Task.CompletedTask;
    }

    protected override async Task OnPartitionProcessingStoppedAsync(EventProcessorPartition partition, ProcessingStoppedReason reason, CancellationToken cancellationToken)
    {
        if (!_partitions.TryRemove(partition.PartitionId, out PartitionAckTracker? tracker))
        {
            return;
        }

        if (reason == ProcessingStoppedReason.Shutdown)
        {
            // Still the owner: keep what was acknowledged so far. After losing ownership the new owner's
            // checkpoints count, and the messages still in the pipeline simply come back to it.
            await WriteCheckpointAsync(tracker, cancellationToken).ConfigureAwait(false);
        }

        tracker.Close();
        LogPartitionReleased(_logger, EventHubName, partition.PartitionId, reason);
    }

    protected override async Task<string[]> ListPartitionIdsAsync(EventHubConnection connection, CancellationToken cancellationToken)
    {
        string[] ids = await base.ListPartitionIdsAsync(connection, cancellationToken).ConfigureAwait(false);
        KnowPartitions(ids);
        return ids;
    }

    /// <summary>Remembers the hub's partitions, as each load-balancing cycle lists them.</summary>
    protected void KnowPartitions(string[] partitionIds) => Volatile.Write(ref _partitionIds, [.. partitionIds]);

    protected override Task OnProcessingErrorAsync(Exception exception, EventProcessorPartition partition, string operationDescription, CancellationToken cancellationToken)
    {
        // Exception messages of the Azure SDK name hosts and entities, never keys or signatures.
        LogProcessingError(_logger, EventHubName, partition?.PartitionId ?? "-", operationDescription, exception.GetType().Name, exception.Message);
        return Task.CompletedTask;
    }

    private async Task WriteCheckpointAsync(PartitionAckTracker partition, CancellationToken cancellationToken)
    {
        if (partition.TakeCheckpointToWrite() is { } position)
        {
            await UpdateCheckpointAsync(partition.PartitionId, position, cancellationToken).ConfigureAwait(false);
            partition.Written(position);
        }
    }

    private PartitionAckTracker NewTracker(string partitionId) => new(partitionId, $"eventhubs:{EventHubName}/{partitionId}");

    private static Channel<EventHubsMessage> CreateChannel(EventHubsTransportOptions options) =>
        Channel.CreateBounded<EventHubsMessage>(new BoundedChannelOptions(options.ReceiveBufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

    private static EventProcessorOptions ProcessorOptions(EventHubsTransportOptions options) => new()
    {
        Identifier = options.Identifier is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}",
        PrefetchCount = options.PrefetchCount,
        LoadBalancingUpdateInterval = TimeSpan.FromSeconds(options.LoadBalancingIntervalSeconds),
        PartitionOwnershipExpirationInterval = TimeSpan.FromSeconds(options.OwnershipExpirationSeconds),

        // A partition without a checkpoint starts at its oldest retained event, so nothing is skipped.
        DefaultStartingPosition = Azure.Messaging.EventHubs.Consumer.EventPosition.Earliest,
    };

    [LoggerMessage(301, LogLevel.Information, "Event Hubs {EventHubName} partition {PartitionId}: processing started on this replica")]
    private static partial void LogPartitionClaimed(ILogger logger, string eventHubName, string partitionId);

    [LoggerMessage(302, LogLevel.Information, "Event Hubs {EventHubName} partition {PartitionId}: processing stopped ({Reason})")]
    private static partial void LogPartitionReleased(ILogger logger, string eventHubName, string partitionId, ProcessingStoppedReason reason);

    [LoggerMessage(303, LogLevel.Warning, "Event Hubs {EventHubName} partition {PartitionId}: {Operation} failed: {ErrorType}: {ErrorMessage}")]
    private static partial void LogProcessingError(ILogger logger, string eventHubName, string partitionId, string operation, string errorType, string errorMessage);
}
