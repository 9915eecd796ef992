using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// An <see cref="EventHubProducerClient"/> through the SDK's mocking seams (its protected constructor and virtual
/// members), with batches from <see cref="EventHubsModelFactory.EventDataBatch"/>: records what would be sent, and
/// can fail sends or hold them back. Given a <see cref="TestEventHub"/>, what it sends is appended to that hub's partitions.
/// </summary>
internal sealed class RecordingProducer : EventHubProducerClient
{
    private readonly Dictionary<EventDataBatch, (CreateBatchOptions Options, List<EventData> Events)> _batches = [];
    private readonly Lock _lock = new();

    public RecordingProducer(int maxEventsPerBatch = 10, params string[] partitionIds)
    {
        MaxEventsPerBatch = maxEventsPerBatch;
        PartitionIds = partitionIds.Length > 0 ? partitionIds : ["0", "1", "2", "3"];
    }

    /// <summary>A producer of <paramref name="hub"/>: its partitions are the hub's, and every sent batch lands in them.</summary>
    public RecordingProducer(TestEventHub hub, int maxEventsPerBatch)
        : this(maxEventsPerBatch, hub.PartitionIds)
    {
        Hub = hub;
    }

    public TestEventHub? Hub { get; }

    public int MaxEventsPerBatch { get; }

    public string[] PartitionIds { get; }

    /// <summary>Payloads of this size or more do not fit a batch (the real limit is the hub's maximum message size).</summary>
    public int MaxEventBytes { get; init; } = 1024;

    /// <summary>Sends still to fail with a transient service error before they succeed.</summary>
    public int FailingSends { get; set; }

    /// <summary>Sends wait for it (open by default).</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public List<(string? PartitionId, string? PartitionKey, List<string> Payloads)> Sent { get; } = [];

    public List<string> SentPayloads => [.. Sent.SelectMany(s => s.Payloads)];

    public override ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken = default)
    {
        var events = new List<EventData>();
        EventDataBatch batch = EventHubsModelFactory.EventDataBatch(
            1_000_000,
            events,
            options,
            e => events.Count < MaxEventsPerBatch && e.EventBody.ToMemory().Length < MaxEventBytes);
        lock (_lock)
        {
            _batches[batch] = (options, events);
        }

        return ValueTask.FromResult(batch);
    }

    public override async Task SendAsync(EventDataBatch eventBatch, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        lock (_lock)
        {
            if (FailingSends > 0)
            {
                FailingSends--;
                throw new EventHubsException(true, "plays", "The service is busy.", EventHubsException.FailureReason.ServiceBusy);
            }

            (CreateBatchOptions options, List<EventData> events) = _batches[eventBatch];
            Sent.Add((options.PartitionId, options.PartitionKey, [.. events.Select(e => e.EventBody.ToString())]));
            Hub?.Receive(options.PartitionId, events);
        }
    }

    public override Task<string[]> GetPartitionIdsAsync(CancellationToken cancellationToken = default) => Task.FromResult(PartitionIds);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "Made through the mocking constructor there is no connection for the base to close.")]
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
