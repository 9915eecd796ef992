using System.Globalization;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// What one partition of a hub holds: events with consecutive sequence numbers and offsets, built by the SDK's
/// <see cref="EventHubsModelFactory"/> as the service would hand them out, read from a checkpoint as the SDK does.
/// </summary>
internal sealed class PartitionLog
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 26, 14, 3, 22, TimeSpan.Zero);

    private readonly List<EventData> _events = [];

    public IReadOnlyList<EventData> Events => _events;

    public static EventData Event(byte[] payload, long sequenceNumber) =>
        EventHubsModelFactory.EventData(
            new BinaryData(payload),
            partitionKey: null,
            sequenceNumber: sequenceNumber,
            offsetString: (sequenceNumber * 1000).ToString(CultureInfo.InvariantCulture),
            enqueuedTime: Enqueued.AddMilliseconds(sequenceNumber));

    public PartitionLog Append(params byte[][] payloads)
    {
        foreach (byte[] payload in payloads)
        {
            _events.Add(Event(payload, _events.Count));
        }

        return this;
    }

    /// <summary>The events a reader starting from <paramref name="checkpoint"/> gets: those after it, or all without one.</summary>
    public IReadOnlyList<EventData> After(EventProcessorCheckpoint? checkpoint) =>
        checkpoint is BlobCheckpoint { SequenceNumber: { } last } ? [.. _events.Where(e => e.SequenceNumber > last)] : _events;
}
