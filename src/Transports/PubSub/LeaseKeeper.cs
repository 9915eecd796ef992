using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Keeps received messages leased while the pipeline holds them for their window: before a batch's ack deadline
/// passes, its unacknowledged messages get a fresh deadline (ModifyAckDeadline), until every one is acknowledged.
/// The first extension comes within the shortest deadline Pub/Sub allows (10 s), whatever the stream asked for.
/// Messages from an earlier life of the subscription (<see cref="SubscriptionGeneration"/>) are no longer extended.
/// When the reader stops, what it still holds is handed back at once (<see cref="ReleaseUnackedAsync"/>).
/// </summary>
internal sealed class LeaseKeeper(Subscriber.SubscriberClient client, string subscription, int ackDeadlineSeconds, SubscriptionGeneration generation, TimeProvider clock, ILogger logger)
{
    public const int MaxIdsPerCall = 2500;
    private const int MinDeadlineSeconds = 10;
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly List<ReceivedBatch> _batches = [];
    private long _extended;
    private long _released;

    /// <summary>Ack deadline extensions sent so far (message count).</summary>
    public long Extended => Interlocked.Read(ref _extended);

    /// <summary>Messages handed back unacknowledged when the reader stopped.</summary>
    public long Released => Interlocked.Read(ref _released);

    public int Batches
    {
        get
        {
            lock (_lock)
            {
                return _batches.Count;
            }
        }
    }

    /// <summary>Time from a deadline being set to its extension: a third of the deadline before it passes, at least 2 s.</summary>
    public static TimeSpan ExtendAfter(int deadlineSeconds) =>
        TimeSpan.FromSeconds(deadlineSeconds - Math.Max(2.0, deadlineSeconds / 3.0));

    public void Add(ReceivedBatch batch)
    {
        batch.NextExtensionTimestamp = clock.GetTimestamp() + ToTimestampTicks(ExtendAfter(Math.Min(MinDeadlineSeconds, ackDeadlineSeconds)));
        lock (_lock)
        {
            _batches.Add(batch);
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var due = new List<ReceivedBatch>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Tick, clock, stoppingToken).ConfigureAwait(false);
                await ExtendDueAsync(due, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: held messages come back after their deadline.
        }
    }

    /// <summary>Drops fully acknowledged batches and those of an earlier life of the subscription, and extends the deadlines of those due.</summary>
    public async Task ExtendDueAsync(List<ReceivedBatch> due, CancellationToken cancellationToken)
    {
        long now = clock.GetTimestamp();
        int current = generation.Current;
        due.Clear();
        lock (_lock)
        {
            _batches.RemoveAll(b => b.AllAcked || b.Generation != current);
            foreach (ReceivedBatch batch in _batches)
            {
                if (batch.NextExtensionTimestamp <= now)
                {
                    due.Add(batch);
                }
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        var request = NewRequest();
        foreach (ReceivedBatch batch in due)
        {
            foreach (PubSubReceivedMessage message in batch.Messages)
            {
                if (!message.IsAcked)
                {
                    request.AckIds.Add(message.AckId);
                    if (request.AckIds.Count == MaxIdsPerCall)
                    {
                        await ExtendAsync(request, current, cancellationToken).ConfigureAwait(false);
                        request = NewRequest();
                    }
                }
            }
        }

        if (request.AckIds.Count > 0)
        {
            await ExtendAsync(request, current, cancellationToken).ConfigureAwait(false);
        }

        long next = now + ToTimestampTicks(ExtendAfter(ackDeadlineSeconds));
        foreach (ReceivedBatch batch in due)
        {
            batch.NextExtensionTimestamp = next;
        }
    }

    /// <summary>
    /// Gives every held message not acknowledged back to the subscription (a zero ack deadline, the nack of Pub/Sub's
    /// client libraries), so that it is redelivered now, to a replica still running or to this one's successor,
    /// instead of after its deadline: a stage that stops holds the plays of its open windows. Call it once the
    /// reader stopped acknowledging; a call that fails leaves the messages to come back after their deadline.
    /// </summary>
    public async Task ReleaseUnackedAsync(CancellationToken cancellationToken)
    {
        var request = NewRequest(deadlineSeconds: 0);
        List<ReceivedBatch> held;
        lock (_lock)
        {
            held = [.. _batches.Where(b => !b.AllAcked)];
            _batches.Clear();
        }

        int current = generation.Current;
        foreach (PubSubReceivedMessage message in held.Where(b => b.Generation == current).SelectMany(b => b.Messages).Where(m => !m.IsAcked))
        {
            request.AckIds.Add(message.AckId);
            if (request.AckIds.Count == MaxIdsPerCall)
            {
                await ReleaseAsync(request, current, cancellationToken).ConfigureAwait(false);
                request = NewRequest(deadlineSeconds: 0);
            }
        }

        if (request.AckIds.Count > 0)
        {
            await ReleaseAsync(request, current, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReleaseAsync(ModifyAckDeadlineRequest request, int receivedIn, CancellationToken cancellationToken)
    {
        if (await SendAsync(request, receivedIn, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref _released, request.AckIds.Count);
        }
    }

    private ModifyAckDeadlineRequest NewRequest(int? deadlineSeconds = null) => new() { Subscription = subscription, AckDeadlineSeconds = deadlineSeconds ?? ackDeadlineSeconds };

    private async Task ExtendAsync(ModifyAckDeadlineRequest request, int receivedIn, CancellationToken cancellationToken)
    {
        if (await SendAsync(request, receivedIn, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref _extended, request.AckIds.Count);
        }
    }

    /// <returns>Whether the call reached the service for the subscription the messages were received in.</returns>
    private async Task<bool> SendAsync(ModifyAckDeadlineRequest request, int receivedIn, CancellationToken cancellationToken)
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

                    await client.ModifyAckDeadlineAsync(request, cancellationToken: ct).ConfigureAwait(false);
                    return true;
                },
                clock,
                (e, delay, failures) => PubSubLog.Retry(logger, "ModifyAckDeadline", e, delay, failures),
                cancellationToken).ConfigureAwait(false);
            return sent;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The subscription is gone, and its messages with it: nothing is left to extend or hand back.
            PubSubLog.SubscriptionGone(logger, "ModifyAckDeadline", subscription, e.Status.Detail, request.AckIds.Count);
            return false;
        }
        catch (RpcException e)
        {
            // The messages come back after their deadline; the pipeline's per-window dedup absorbs the copies.
            PubSubLog.CallFailed(logger, "ModifyAckDeadline", e.StatusCode, e.Status.Detail);
            return false;
        }
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);
}
