using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The SDK's consumer client over a <see cref="TestEventHub"/>, through its mocking seams (the protected constructor
/// and virtual reads): a read of a partition from <see cref="EventPosition.Latest"/> starts after the events the
/// partition holds when the read begins, as the service does when the link opens. Records how each partition was read.
/// </summary>
internal sealed class TestConsumerClient(TestEventHub hub) : EventHubConsumerClient
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new(StringComparer.Ordinal);

    /// <summary>The partition whose read fails for good once it began, as after the client's retries; none by default.</summary>
    public string? FailingPartition { get; init; }

    /// <summary>The starting position and options of every read begun, in order.</summary>
    public ConcurrentQueue<(string PartitionId, EventPosition Position, ReadEventOptions Options)> Reads { get; } = new();

    /// <summary>Completes once a read of every partition has begun (its starting position is fixed).</summary>
    public Task AllStartedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(hub.PartitionIds.Select(p => Started(p).Task)).WaitAsync(cancellationToken);

    public override Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken = default) => Task.FromResult(hub.PartitionIds);

    public override async IAsyncEnumerable<PartitionEvent> ReadEventsFromPartitionAsync(
        string partitionId,
        EventPosition startingPosition,
        ReadEventOptions readOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PartitionLog log = hub[partitionId];
        long next = startingPosition == EventPosition.Latest ? log.Events.Count
            : startingPosition == EventPosition.Earliest ? 0
            : throw new NotSupportedException($"Only Earliest and Latest here, not {startingPosition}.");
        Reads.Enqueue((partitionId, startingPosition, readOptions));
        Started(partitionId).TrySetResult();
        if (partitionId == FailingPartition)
        {
            throw new EventHubsException(isTransient: false, "coplays", "The messaging entity could not be found.", EventHubsException.FailureReason.ResourceNotFound);
        }

        PartitionContext partition = EventHubsModelFactory.PartitionContext("127.0.0.1", "coplays", "site", partitionId);
        while (true)
        {
            await log.WaitForAsync(next, cancellationToken);
            foreach (EventData e in log.Read(next, 100))
            {
                yield return new PartitionEvent(partition, e);
                next = e.SequenceNumber + 1;
            }
        }
    }

    private TaskCompletionSource Started(string partitionId) =>
        _started.GetOrAdd(partitionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
