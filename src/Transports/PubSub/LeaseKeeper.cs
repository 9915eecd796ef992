using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Keeps received messages leased while the pipeline holds them for their window: before a batch's ack deadline
/// passes, its unacknowledged messages get a fresh deadline (ModifyAckDeadline), until every one is acknowledged.
/// The first extension comes within the shortest deadline Pub/Sub allows (10 s), whatever the stream asked for.
/// Messages from an earlier life of the subscription (<see cref="SubscriptionGeneration"/>) are no longer extended.
/// </summary>
internal sealed class LeaseKeeper(Subscriber.SubscriberClient client, string subscription, int ackDeadlineSeconds, SubscriptionGeneration generation, TimeProvider clock, ILogger logger)
{
    public const int MaxIdsPerCall = 2500;
    private const int MinDeadlineSeconds = 10;
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly List<ReceivedBatch> _batches = [];
    private long _extended;

    /// <summary>Ack deadline extensions sent so far (message count).</summary>
    public long Extended => Interlocked.Read(ref _extended);

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
                        await SendAsync(request, current, cancellationToken).ConfigureAwait(false);
                        request = NewRequest();
                    }
                }
            }
        }

        if (request.AckIds.Count > 0)
        {
            await SendAsync(request, current, cancellationToken).ConfigureAwait(false);
        }

        long next = now + ToTimestampTicks(ExtendAfter(ackDeadlineSeconds));
        foreach (ReceivedBatch batch in due)
        {
            batch.NextExtensionTimestamp = next;
        }
    }

    private ModifyAckDeadlineRequest NewRequest() => new() { Subscription = subscription, AckDeadlineSeconds = ackDeadlineSeconds };

    private async Task SendAsync(ModifyAckDeadlineRequest request, int receivedIn, CancellationToken cancellationToken)
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
            if (sent)
            {
                Interlocked.Add(ref _extended, request.AckIds.Count);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The subscription is gone, and its messages with it: nothing is left to extend.
            PubSubLog.SubscriptionGone(logger, "ModifyAckDeadline", subscription, e.Status.Detail, request.AckIds.Count);
        }
        catch (RpcException e)
        {
            // The messages come back after their deadline; the pipeline's per-window dedup absorbs the copies.
            PubSubLog.CallFailed(logger, "ModifyAckDeadline", e.StatusCode, e.Status.Detail);
        }
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);
}
