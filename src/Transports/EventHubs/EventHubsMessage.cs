using System.Globalization;
using Azure.Messaging.EventHubs.Processor;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>One event of a partition as the pipeline sees it; acking it lets the partition's checkpoint move past it.</summary>
internal sealed class EventHubsMessage : IReceivedMessage
{
    private readonly PartitionAckTracker _partition;
    private int _ackRequested;
    private bool _acked;

    public EventHubsMessage(PartitionAckTracker partition, ReadOnlyMemory<byte> payload, CheckpointPosition position, DateTimeOffset receivedAt)
    {
        _partition = partition;
        Payload = payload;
        Position = position;
        ReceivedAt = receivedAt;
    }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Hub, partition and sequence number; built only when asked (for a dead-letter entry).</summary>
    public string Source => string.Create(CultureInfo.InvariantCulture, $"{_partition.Source}@{Position.SequenceNumber}");

    public DateTimeOffset ReceivedAt { get; }

    public CheckpointPosition Position { get; }

    /// <summary>Read and written under the partition tracker's lock.</summary>
    internal bool IsAcked => _acked;

    public ValueTask AckAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ackRequested, 1) == 0)
        {
            _partition.Ack(this);
        }

        return ValueTask.CompletedTask;
    }

    internal void MarkAcked() => _acked = true;
}
