using System.Collections.Concurrent;
using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Acknowledges in batches: ack ids queue up and go out in Acknowledge calls of up to <see cref="MaxIdsPerCall"/>
/// ids, every <see cref="Interval"/> or as soon as a full call is waiting, retried on transient failures. Acks of
/// messages from an earlier life of the subscription (<see cref="SubscriptionGeneration"/>) are dropped, also
/// while their call waits to be retried; so are those the service refuses because the subscription is gone.
/// </summary>
internal sealed class AckSender(Subscriber.SubscriberClient client, string subscription, SubscriptionGeneration generation, TimeProvider clock, ILogger logger) : IDisposable
{
    public const int MaxIdsPerCall = 2500;
    public const int MaxCallsInFlight = 4;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<(string AckId, int Generation)> _queue = new();
    private readonly SemaphoreSlim _full = new(0, 1);
    private int _queued;
    private long _sent;
    private long _dropped;

    public void Dispose() => _full.Dispose();

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Acks not sent because their messages went with an earlier life of the subscription.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <param name="ackId">The message's ack id.</param>
    /// <param name="receivedIn">The <see cref="SubscriptionGeneration"/> it was received in.</param>
    public void Enqueue(string ackId, int receivedIn)
    {
        _queue.Enqueue((ackId, receivedIn));
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

    /// <summary>
    /// Sends every queued ack id; once <paramref name="cancellationToken"/> fires it sends no more and throws, the ids
    /// of calls it cut back in the queue for a later (final) send.
    /// </summary>
    public async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        var calls = new List<Task>(MaxCallsInFlight);

        // Not only "while the queue holds ids": a call cut by the token puts its ids back, and would be sent again,
        // cut again, forever (a stopping reader hung in CI that way).
        while (!_queue.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            int current = generation.Current;
            var request = new AcknowledgeRequest { Subscription = subscription };
            int taken = 0;
            while (request.AckIds.Count < MaxIdsPerCall && _queue.TryDequeue(out (string AckId, int Generation) ack))
            {
                taken++;
                if (ack.Generation == current)
                {
                    request.AckIds.Add(ack.AckId);
                }
            }

            Interlocked.Add(ref _queued, -taken);
            Interlocked.Add(ref _dropped, taken - request.AckIds.Count);
            if (request.AckIds.Count == 0)
            {
                continue;
            }

            calls.Add(SendAsync(request, current, cancellationToken));
            if (calls.Count == MaxCallsInFlight)
            {
                await Task.WhenAll(calls).ConfigureAwait(false);
                calls.Clear();
            }
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task SendAsync(AcknowledgeRequest request, int receivedIn, CancellationToken cancellationToken)
    {
        try
        {
            bool sent = await RetryingCall.RunAsync(
                async ct =>
                {
                    if (!generation.IsCurrent(receivedIn))
                    {
                        return false;
                    }

                    await client.AcknowledgeAsync(request, cancellationToken: ct).ConfigureAwait(false);
                    return true;
                },
                clock,
                (e, delay, failures) => PubSubLog.Retry(logger, "Acknowledge", e, delay, failures),
                cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref sent ? ref _sent : ref _dropped, request.AckIds.Count);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Cut by the stop: the ids go back to the queue for the final flush, rather than being redelivered.
            foreach (string ackId in request.AckIds)
            {
                Enqueue(ackId, receivedIn);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The subscription is gone, and its messages with it: nothing is left to acknowledge.
            Interlocked.Add(ref _dropped, request.AckIds.Count);
            PubSubLog.SubscriptionGone(logger, "Acknowledge", subscription, e.Status.Detail, request.AckIds.Count);
        }
        catch (RpcException e)
        {
            // Lost acks only mean redelivery, which the pipeline's per-window dedup absorbs.
            PubSubLog.CallFailed(logger, "Acknowledge", e.StatusCode, e.Status.Detail);
        }
    }
}
