using System.Globalization;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// What one partition of a hub holds: events with consecutive sequence numbers and offsets, built by the SDK's
/// <see cref="EventHubsModelFactory"/> as the service would hand them out, read from a checkpoint as the SDK does.
/// Safe to append to while readers read.
/// </summary>
internal sealed class PartitionLog
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 26, 14, 3, 22, TimeSpan.Zero);

    private readonly List<EventData> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The events appended so far.</summary>
    public IReadOnlyList<EventData> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public static EventData Event(byte[] payload, long sequenceNumber) =>
        EventHubsModelFactory.EventData(
            new BinaryData(payload),
            partitionKey: null,
            sequenceNumber: sequenceNumber,
            offsetString: (sequenceNumber * 1000).ToString(CultureInfo.InvariantCulture),
            enqueuedTime: Enqueued.AddMilliseconds(sequenceNumber));

    /// <summary>The sequence number a reader starting from <paramref name="checkpoint"/> reads first: the one after it, or 0 without one.</summary>
    public static long FirstAfter(EventProcessorCheckpoint? checkpoint) =>
        checkpoint is BlobCheckpoint { SequenceNumber: { } last } ? last + 1 : 0;

    public PartitionLog Append(params IEnumerable<byte[]> payloads)
    {
        lock (_lock)
        {
            foreach (byte[] payload in payloads)
            {
                _events.Add(Event(payload, _events.Count));
            }

            _appended.TrySetResult();
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return this;
    }

    /// <summary>The events a reader starting from <paramref name="checkpoint"/> gets: those after it, or all without one.</summary>
    public IReadOnlyList<EventData> After(EventProcessorCheckpoint? checkpoint) => Read(FirstAfter(checkpoint), int.MaxValue);

    /// <summary>At most <paramref name="maxCount"/> events from sequence number <paramref name="first"/> on (sequence numbers are positions).</summary>
    public IReadOnlyList<EventData> Read(long first, int maxCount)
    {
        lock (_lock)
        {
            int start = (int)Math.Min(first, _events.Count);
            return _events.GetRange(start, Math.Min(maxCount, _events.Count - start));
        }
    }

    /// <summary>Completes once the log holds an event with sequence number <paramref name="sequenceNumber"/>.</summary>
    public Task WaitForAsync(long sequenceNumber, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return sequenceNumber < _events.Count ? Task.CompletedTask : _appended.Task.WaitAsync(cancellationToken);
        }
    }
}
