using System.Collections.Concurrent;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;

using ListeningTogether.Transports.Tests.EventHubs;

namespace ListeningTogether.Faults.Tests.Checkpoints;

/// <summary>
/// The Blob checkpoint store as the processor sees it, watched: before each checkpoint write, every eligible play
/// at or before the checkpointed event must already have its window in the results (DESIGN.md: an eligible play's
/// message is checkpointed only after its window has been emitted to the sinks); a write that passes one is a
/// violation. Also counts writes that reached the store and writes that failed, and the last sequence number
/// written per partition.
/// </summary>
internal sealed class CheckpointAudit(CheckpointStore store, PlayFeed feed, ResultsTable results) : ForwardingCheckpointStore(store)
{
    private readonly ConcurrentDictionary<string, long> _checkedThrough = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private int _writes;

    private int _failedWrites;

    public IReadOnlyCollection<string> Violations => _violations;

    public int Writes => Volatile.Read(ref _writes);

    public int FailedWrites => Volatile.Read(ref _failedWrites);

    /// <summary>The sequence number each partition's latest successful write put in the store.</summary>
    public IReadOnlyDictionary<string, long> Written => new Dictionary<string, long>(_written, StringComparer.Ordinal);

    public override async Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace,
        string eventHubName,
        string consumerGroup,
        string partitionId,
        string clientIdentifier,
        CheckpointPosition startingPosition,
        CancellationToken cancellationToken)
    {
        Check(partitionId, startingPosition.SequenceNumber);
        try
        {
            await base.UpdateCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, clientIdentifier, startingPosition, cancellationToken);
        }
        catch
        {
            Interlocked.Increment(ref _failedWrites);
            throw;
        }

        Interlocked.Increment(ref _writes);
        _written[partitionId] = startingPosition.SequenceNumber;
    }

    /// <summary>Windows are only ever added to the results, so each event needs checking once.</summary>
    private void Check(string partitionId, long through)
    {
        long from = _checkedThrough.GetOrAdd(partitionId, -1) + 1;
        for (long sequenceNumber = from; sequenceNumber <= through; sequenceNumber++)
        {
            FedPlay play = feed.At(partitionId, sequenceNumber);
            if (play.Eligible && !results.Contains(play.WindowStartMs, play.TrackId))
            {
                _violations.Enqueue($"partition {partitionId} checkpointed at {through}, past event {sequenceNumber} ({play.TrackId} in the window at {play.WindowStartMs}) whose window was not emitted");
            }
        }

        _checkedThrough[partitionId] = Math.Max(_checkedThrough[partitionId], through);
    }
}
