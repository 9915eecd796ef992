using Azure.Messaging.EventHubs.Processor;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// The messages of one partition, from the time this replica claimed it, in the order they were handed to the
/// pipeline. Acks come in any order; the checkpointable position is the last message before the first one still
/// unacknowledged, so a checkpoint never passes a message whose window has not reached the sinks.
/// </summary>
internal sealed class PartitionAckTracker
{
    private readonly Queue<EventHubsMessage> _inFlight = new();
    private readonly Lock _lock = new();
    private CheckpointPosition? _acked;
    private CheckpointPosition? _written;
    private bool _closed;

    public PartitionAckTracker(string partitionId, string source)
    {
        PartitionId = partitionId;
        Source = source;
    }

    public string PartitionId { get; }

    /// <summary>The hub and partition, for dead-letter entries.</summary>
    public string Source { get; }

    /// <summary>Messages handed out and not yet covered by <see cref="AckedPosition"/>.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>The last message below which everything is acknowledged; null while none is.</summary>
    public CheckpointPosition? AckedPosition
    {
        get
        {
            lock (_lock)
            {
                return _acked;
            }
        }
    }

    /// <summary>Records a message about to be handed to the pipeline; messages of one partition come in sequence order.</summary>
    public void Track(EventHubsMessage message)
    {
        lock (_lock)
        {
            _inFlight.Enqueue(message);
        }
    }

    /// <summary>Marks a message acknowledged and moves the acked position past every leading acknowledged message.</summary>
    public void Ack(EventHubsMessage message)
    {
        lock (_lock)
        {
            message.MarkAcked();
            while (_inFlight.TryPeek(out EventHubsMessage? head) && head.IsAcked)
            {
                _acked = _inFlight.Dequeue().Position;
            }
        }
    }

    /// <summary>The acked position if it moved since the last checkpoint written, else null (also once closed).</summary>
    public CheckpointPosition? TakeCheckpointToWrite()
    {
        lock (_lock)
        {
            return _closed || _acked is not { } acked || acked == _written ? null : acked;
        }
    }

    /// <summary>Records a written checkpoint, so the same position is not written again.</summary>
    public void Written(CheckpointPosition position)
    {
        lock (_lock)
        {
            if (_written is not { } written || position.SequenceNumber > written.SequenceNumber)
            {
                _written = position;
            }
        }
    }

    /// <summary>The partition went to another replica: later acks of its messages write no checkpoint here.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }
}
