using System.Threading.Channels;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using ListeningTogether.Abstractions;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Publishes plays to an Event Hub in <see cref="EventDataBatch"/>es: publishers put payloads on a bounded queue
/// (waiting when it is full) and one sender fills batches from whatever is waiting, one batch per target
/// partition, so batches grow with the load. A batch that fails after the SDK's own retries is tried again until
/// it goes out; <see cref="FlushAsync"/> waits for everything published before it.
/// </summary>
internal sealed partial class EventHubsPlayPublisher : IPlayPublisher, IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly EventHubProducerClient _producer;
    private readonly string _eventHubName;
    private readonly Channel<Outgoing> _queue;
    private readonly int _maxEventsPerRound;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _sender;
    private PartitionKeyRouter? _router;
    private long _sent;
    private long _dropped;
    private int _disposed;

    public EventHubsPlayPublisher(EventHubProducerClient producer, EventHubsTransportOptions options, TimeProvider clock, ILogger logger)
    {
        _producer = producer;
        _eventHubName = options.ResolvedEventHubName;
        _maxEventsPerRound = options.PublishBatchMaxEvents;
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.PublishQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Events the hub accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Events given up: larger than a batch may be, or still failing when the publisher was disposed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Publishes with no key: the hub spreads such events over its partitions.</summary>
    public ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new Outgoing(payload.ToArray(), null, null), cancellationToken);

    /// <summary>Publishes with a partition key: every event of one key goes to the same partition.</summary>
    public ValueTask PublishAsync(ReadOnlyMemory<byte> payload, string partitionKey, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new Outgoing(payload.ToArray(), partitionKey, null), cancellationToken);

    /// <summary>Completes when every event published before the call has been sent (or dropped).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Outgoing(default, null, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        await _producer.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await SendAllAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect, not an outage (those are retried): fail the publishers instead of leaving them waiting on a full queue.
            LogSenderFailed(_logger, _eventHubName, e);
            _queue.Writer.TryComplete(e);
        }
    }

    private async Task SendAllAsync()
    {
        var byPartition = new Dictionary<string, List<EventData>>(StringComparer.Ordinal);
        var unkeyed = new List<EventData>();
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int taken = 0;
            while (taken < _maxEventsPerRound && _queue.Reader.TryRead(out Outgoing item))
            {
                if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                    continue;
                }

                var data = new EventData(item.Payload);
                if (item.PartitionKey is null)
                {
                    unkeyed.Add(data);
                }
                else
                {
                    // Without the partition list (only when disposing while the hub fails) keyed events go unkeyed.
                    PartitionKeyRouter? router = await RouterAsync().ConfigureAwait(false);
                    if (router is null)
                    {
                        unkeyed.Add(data);
                        taken++;
                        continue;
                    }

                    string partition = router.PartitionFor(item.PartitionKey);
                    if (!byPartition.TryGetValue(partition, out List<EventData>? events))
                    {
                        byPartition[partition] = events = [];
                    }

                    events.Add(data);
                }

                taken++;
            }

            await SendAsync(null, unkeyed).ConfigureAwait(false);
            foreach ((string partition, List<EventData> events) in byPartition)
            {
                await SendAsync(partition, events).ConfigureAwait(false);
            }

            foreach (TaskCompletionSource flushed in flushes)
            {
                flushed.TrySetResult();
            }

            flushes.Clear();
        }
    }

    /// <summary>Sends the events for one target in as few batches as fit, in order, and empties the list.</summary>
    private async Task SendAsync(string? partitionId, List<EventData> events)
    {
        int next = 0;
        while (next < events.Count)
        {
            EventDataBatch? created = await WithRetryAsync(() => _producer.CreateBatchAsync(new CreateBatchOptions { PartitionId = partitionId }).AsTask()).ConfigureAwait(false);
            if (created is null)
            {
                Interlocked.Add(ref _dropped, events.Count - next);
                break;
            }

            using EventDataBatch batch = created;
            int first = next;
            while (next < events.Count && batch.TryAdd(events[next]))
            {
                next++;
            }

            if (next == first)
            {
                // Larger than an empty batch may hold: it can never be sent.
                LogTooLarge(_logger, _eventHubName, events[next].EventBody.ToMemory().Length, batch.MaximumSizeInBytes);
                Interlocked.Increment(ref _dropped);
                next++;
                continue;
            }

            bool sent = await WithRetryAsync(async () =>
            {
                await _producer.SendAsync(batch).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            if (sent)
            {
                Interlocked.Add(ref _sent, batch.Count);
            }
            else
            {
                Interlocked.Add(ref _dropped, batch.Count);
            }
        }

        events.Clear();
    }

    /// <summary>Runs an operation until it succeeds; once the publisher is disposing, gives up after one more failure.</summary>
    private async Task<T?> WithRetryAsync<T>(Func<Task<T>> operation)
    {
        while (true)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The SDK already retried transient failures; this keeps the sender alive through longer outages.
                LogSendFailed(_logger, _eventHubName, e.GetType().Name, e.Message);
                if (_disposing.IsCancellationRequested)
                {
                    return default;
                }
            }

            try
            {
                await Task.Delay(RetryDelay, _clock, _disposing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposing: one last attempt.
            }
        }
    }

    private async ValueTask<PartitionKeyRouter?> RouterAsync()
    {
        if (_router is null && await WithRetryAsync(() => _producer.GetPartitionIdsAsync()).ConfigureAwait(false) is { Length: > 0 } ids)
        {
            _router = new PartitionKeyRouter(ids);
        }

        return _router;
    }

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Payload, string? PartitionKey, TaskCompletionSource? Flushed);

    [LoggerMessage(310, LogLevel.Warning, "Event Hubs {EventHubName}: sending failed ({ErrorType}: {ErrorMessage}); trying again")]
    private static partial void LogSendFailed(ILogger logger, string eventHubName, string errorType, string errorMessage);

    [LoggerMessage(312, LogLevel.Critical, "Event Hubs {EventHubName}: the sender stopped; publishing now fails")]
    private static partial void LogSenderFailed(ILogger logger, string eventHubName, Exception exception);

    [LoggerMessage(311, LogLevel.Error, "Event Hubs {EventHubName}: an event of {Bytes} bytes exceeds the batch limit of {MaxBytes} bytes and is dropped")]
    private static partial void LogTooLarge(ILogger logger, string eventHubName, int bytes, long maxBytes);
}
