using System.Runtime.CompilerServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// A play source on one Pub/Sub subscription. Each <see cref="ReadAllAsync(CancellationToken)"/> is a session of its own (streams,
/// flow control, leases, acks); a message is acknowledged only when the pipeline acknowledges it. With
/// <c>CreateMissing</c>, a subscription the service lost (an emulator restart) is created again and read on. A
/// subscription of the reader's own (<see cref="PubSubConnection.CreateOwnSubscriber"/>) is always created, and
/// deleted when a read ends by cancellation.
/// </summary>
public sealed class PubSubSubscriber : IPlaySource, ISourceStatus
{
    private readonly Subscriber.SubscriberClient _client;
    private readonly SubscriberSettings _settings;
    private readonly MissingResources _resources;
    private readonly SubscriptionGeneration _generation;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private static readonly TimeSpan DeletePatience = TimeSpan.FromSeconds(5);

    private readonly StreamHealth _health;
    private readonly Func<CancellationToken, Task>? _deleteAtStop;

    internal PubSubSubscriber(
        Subscriber.SubscriberClient client,
        string subscription,
        SubscriberSettings settings,
        MissingResources resources,
        SubscriptionGeneration generation,
        TimeProvider clock,
        ILogger logger,
        Func<CancellationToken, Task>? deleteAtStop = null)
    {
        _deleteAtStop = deleteAtStop;
        _client = client;
        Subscription = subscription;
        _settings = settings;
        _resources = resources;
        _generation = generation;
        _clock = clock;
        _logger = logger;
        _health = new StreamHealth(clock);
        Source = "pubsub:" + subscription[(subscription.LastIndexOf('/') + 1)..];

        // Readiness asks before the first read has reached the service: until then it is not read.
        _health.Failed(StreamHealth.Preparation, $"Pub/Sub subscription '{Subscription}': not read yet");
    }

    /// <summary>The full subscription name, <c>projects/P/subscriptions/S</c>.</summary>
    public string Subscription { get; }

    /// <summary>What dead-letter entries name as the source: <c>pubsub:S</c>.</summary>
    public string Source { get; }

    /// <summary>Null while the subscription's streams reach the service; else the failure that keeps them from it.</summary>
    public string? Problem => _health.Problem;

    public IAsyncEnumerable<IReceivedMessage> ReadAllAsync(CancellationToken cancellationToken) => ReadAllAsync(null, cancellationToken);

    /// <summary>As <see cref="ReadAllAsync(CancellationToken)"/>, handing the session to <paramref name="started"/> (tests look inside).</summary>
    internal async IAsyncEnumerable<IReceivedMessage> ReadAllAsync(Action<SubscriberSession>? started, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (IReceivedMessage message in ReadSessionAsync(started, cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            if (_deleteAtStop is not null && cancellationToken.IsCancellationRequested)
            {
                await DeleteAsync(_deleteAtStop).ConfigureAwait(false);
            }
        }
    }

    private async IAsyncEnumerable<IReceivedMessage> ReadSessionAsync(Action<SubscriberSession>? started, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task ensured = _resources.EnsureAsync(cancellationToken);
        if (!ensured.IsCompleted)
        {
            // Not readable until it exists: a service that is down keeps it from being created.
            _health.Failed(StreamHealth.Preparation, $"Pub/Sub subscription '{Subscription}': being created, no answer from the service yet");
        }

        await ensured.ConfigureAwait(false);
        _health.Received(StreamHealth.Preparation);
        await using var session = new SubscriberSession(_client, Subscription, Source, _settings, _clock, _logger, _health, _resources, ensured, _generation);
        session.Start();
        started?.Invoke(session);
        while (await session.Batches.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (session.Batches.TryRead(out ReceivedBatch? batch))
            {
                foreach (PubSubReceivedMessage message in batch.Messages)
                {
                    yield return message;
                }
            }
        }
    }

    /// <summary>A clean stop deletes the reader's own subscription; a failure is logged, never fatal: the subscription expires by itself.</summary>
    private async Task DeleteAsync(Func<CancellationToken, Task> delete)
    {
        using var patience = new CancellationTokenSource(DeletePatience, _clock);
        try
        {
            await delete(patience.Token).ConfigureAwait(false);

            // A later read creates it again rather than finding it gone.
            _resources.Forget();
        }
        catch (Exception e) when (e is PubSubException or OperationCanceledException)
        {
            PubSubLog.DeleteFailed(_logger, Subscription, e.Message);
        }
    }
}
