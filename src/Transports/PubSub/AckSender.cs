using System.Collections.Concurrent;
using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Acknowledges in batches: ack ids queue up and go out in Acknowledge calls of up to <see cref="MaxIdsPerCall"/>
/// ids, every <see cref="Interval"/> or as soon as a full call is waiting, retried on transient failures.
/// </summary>
internal sealed class AckSender(Subscriber.SubscriberClient client, string subscription, TimeProvider clock, ILogger logger) : IDisposable
{
    public const int MaxIdsPerCall = 2500;
    public const int MaxCallsInFlight = 4;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<string> _queue = new();
    private readonly SemaphoreSlim _full = new(0, 1);
    private int _queued;
    private long _sent;

    public void Dispose() => _full.Dispose();

    public long Sent => Interlocked.Read(ref _sent);

    public void Enqueue(string ackId)
    {
        _queue.Enqueue(ackId);
        if (Interlocked.Increment(ref _queued) == MaxIdsPerCall)
        {
            try
            {
                _full.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>Sends until <paramref name="stoppingToken"/> fires, then once more for what is left.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _full.WaitAsync(Interval, stoppingToken).ConfigureAwait(false);
                await SendQueuedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the caller flushes.
        }
    }

    /// <summary>Sends every queued ack id.</summary>
    public async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        var calls = new List<Task>(MaxCallsInFlight);
        while (!_queue.IsEmpty)
        {
            var request = new AcknowledgeRequest { Subscription = subscription };
            while (request.AckIds.Count < MaxIdsPerCall && _queue.TryDequeue(out string? id))
            {
                request.AckIds.Add(id);
            }

            Interlocked.Add(ref _queued, -request.AckIds.Count);
            calls.Add(SendAsync(request, cancellationToken));
            if (calls.Count == MaxCallsInFlight)
            {
                await Task.WhenAll(calls).ConfigureAwait(false);
                calls.Clear();
            }
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    private async Task SendAsync(AcknowledgeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await RetryingCall.RunAsync(
                async ct => await client.AcknowledgeAsync(request, cancellationToken: ct).ConfigureAwait(false),
                clock,
                (e, delay) => PubSubLog.Retry(logger, "Acknowledge", e, delay),
                cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _sent, request.AckIds.Count);
        }
        catch (RpcException e)
        {
            // Lost acks only mean redelivery, which the pipeline's per-window dedup absorbs.
            PubSubLog.CallFailed(logger, "Acknowledge", e.StatusCode, e.Status.Detail);
        }
    }
}
