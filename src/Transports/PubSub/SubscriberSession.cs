using System.Threading.Channels;
using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// One reader's time on a subscription: several StreamingPull streams feeding one queue of response batches,
/// client-side flow control, batched acks and ack-deadline extension for held messages. Disposing it stops the
/// streams, sends the acks given so far and hands the unacknowledged messages back, so they are redelivered at once.
/// A subscription that is gone is created again (with <c>CreateMissing</c>); the messages held from before are
/// still handed to the pipeline, but their acks are dropped: they went with the old subscription.
/// </summary>
internal sealed class SubscriberSession : IAsyncDisposable
{
    private static readonly TimeSpan FinalAckPatience = TimeSpan.FromSeconds(10);

    private readonly Subscriber.SubscriberClient _client;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<ReceivedBatch> _batches = Channel.CreateUnbounded<ReceivedBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _recreating = new();
    private readonly FlowGate _flow;
    private readonly AckSender _acks;
    private readonly LeaseKeeper _leases;
    private Task _streams = Task.CompletedTask;
    private Task _ackLoop = Task.CompletedTask;
    private Task _leaseLoop = Task.CompletedTask;
    private Task _ensured;

    public SubscriberSession(
        Subscriber.SubscriberClient client,
        string subscription,
        string source,
        SubscriberSettings settings,
        TimeProvider clock,
        ILogger logger,
        StreamHealth? health = null,
        MissingResources? resources = null,
        Task? ensured = null,
        SubscriptionGeneration? generation = null)
    {
        Health = health ?? new StreamHealth(clock);
        _client = client;
        Subscription = subscription;
        Source = source;
        Settings = settings;
        Resources = resources ?? MissingResources.None;
        _ensured = ensured ?? Task.CompletedTask;
        Generation = generation ?? new SubscriptionGeneration();
        _clock = clock;
        _logger = logger;
        _flow = new FlowGate(settings.MaxOutstandingMessages, settings.MaxOutstandingBytes);
        _acks = new AckSender(client, subscription, Generation, clock, logger);
        _leases = new LeaseKeeper(client, subscription, settings.AckDeadlineSeconds, Generation, clock, logger);
    }

    public string Subscription { get; }

    public string Source { get; }

    public SubscriberSettings Settings { get; }

    /// <summary>Creates the subscription again when it is gone, if <c>CreateMissing</c> allows.</summary>
    public MissingResources Resources { get; }

    /// <summary>The life of the subscription that messages are received in now.</summary>
    public SubscriptionGeneration Generation { get; }

    /// <summary>What last made sure the subscription exists (its creation, or a task done at once without <c>CreateMissing</c>).</summary>
    public Task Ensured => Volatile.Read(ref _ensured);

    /// <summary>Whether the session's streams reach the service.</summary>
    public StreamHealth Health { get; }

    public ChannelReader<ReceivedBatch> Batches => _batches.Reader;

    public FlowGate Flow => _flow;

    public LeaseKeeper Leases => _leases;

    public AckSender Acks => _acks;

    public void Start()
    {
        CancellationToken stopping = _stopping.Token;
        string clientId = Guid.NewGuid().ToString("N");
        _streams = RunStreamsAsync(clientId, stopping);
        _ackLoop = _acks.RunAsync(stopping);
        _leaseLoop = _leases.RunAsync(stopping);
        PubSubLog.SubscriberStarted(_logger, Subscription, Settings.Streams, Settings.MaxOutstandingMessages, Settings.MaxOutstandingBytes, Settings.AckDeadlineSeconds);
    }

    /// <summary>Takes one response: counts it against flow control, leases it, queues it, then waits while flow control is full.</summary>
    public async ValueTask DeliverAsync(StreamingPullResponse response, CancellationToken cancellationToken)
    {
        if (response.ReceivedMessages.Count == 0)
        {
            return;
        }

        var batch = new ReceivedBatch(this, response, _clock.GetUtcNow(), _clock.GetTimestamp(), Settings, Generation.Current);
        _flow.Reserve(batch.Messages.Length, batch.Bytes);
        _leases.Add(batch);
        await _batches.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        await _flow.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
    }

    public void OnAcked(PubSubReceivedMessage message, int generation)
    {
        _flow.Release(message.Payload.Length);
        _acks.Enqueue(message.AckId, generation);
    }

    /// <summary>
    /// A stream found the subscription gone although <paramref name="ensured"/> had made sure of it: creates it again,
    /// once for all the streams that saw the same loss, and returns when it exists. Throws <see cref="PubSubException"/>
    /// when creating it fails for good.
    /// </summary>
    public async Task RecreateAsync(Task ensured, string detail, CancellationToken cancellationToken)
    {
        Task again;
        lock (_recreating)
        {
            if (ReferenceEquals(ensured, _ensured))
            {
                if (Resources.Lost(ensured))
                {
                    PubSubLog.SubscriptionLost(_logger, Subscription, detail);
                }

                _ensured = Resources.EnsureAsync(cancellationToken);
            }

            again = _ensured;
        }

        await again.ConfigureAwait(false);
    }

    private async Task RunStreamsAsync(string clientId, CancellationToken stopping)
    {
        var streams = new Task[Settings.Streams];
        for (int i = 0; i < streams.Length; i++)
        {
            var stream = new StreamingPullStream(this, _client, i, clientId + "-" + i, _clock, _logger);
            streams[i] = stream.RunAsync(stopping);
        }

        try
        {
            await Task.WhenAll(streams).ConfigureAwait(false);
            _batches.Writer.TryComplete();
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or RpcException)
        {
            // Stopped: a stream cut by the stop ends with Cancelled, which is no failure.
            _batches.Writer.TryComplete();
        }
        catch (RpcException e)
        {
            // Not transient (no such subscription, no permission): the reader gets it as a clear error.
            await _stopping.CancelAsync().ConfigureAwait(false);
            _batches.Writer.TryComplete(new PubSubException($"StreamingPull on {Subscription} failed: {e.StatusCode}: {e.Status.Detail}", e));
        }
        catch (PubSubException e)
        {
            // The subscription was gone and could not be created again.
            await _stopping.CancelAsync().ConfigureAwait(false);
            _batches.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_streams, _ackLoop, _leaseLoop).ConfigureAwait(false);
        using var patience = new CancellationTokenSource(FinalAckPatience);
        try
        {
            // Acks first: a message acknowledged while the reader stopped must not be handed back.
            await _acks.SendQueuedAsync(patience.Token).ConfigureAwait(false);
            await _leases.ReleaseUnackedAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The service did not answer in time: those messages come back after their deadline.
        }

        if (_leases.Released > 0)
        {
            PubSubLog.Released(_logger, Subscription, _leases.Released);
        }

        _stopping.Dispose();
        _acks.Dispose();
    }
}
