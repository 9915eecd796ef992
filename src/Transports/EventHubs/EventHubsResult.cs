using System.Globalization;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>An event of the results hub as a site replica reads it: nothing is checkpointed, so an ack does nothing.</summary>
internal sealed class EventHubsResult(ReadOnlyMemory<byte> payload, string partitionSource, long sequenceNumber, DateTimeOffset receivedAt) : IReceivedMessage
{
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>Hub, partition and sequence number: <c>eventhubs:HUB/PARTITION@SEQUENCE</c>.</summary>
    public string Source => string.Create(CultureInfo.InvariantCulture, $"{partitionSource}@{sequenceNumber}");

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public ValueTask AckAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
