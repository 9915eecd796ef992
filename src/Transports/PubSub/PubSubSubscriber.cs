using System.Runtime.CompilerServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// A play source on one Pub/Sub subscription. Each <see cref="ReadAllAsync(CancellationToken)"/> is a session of its own (streams,
/// flow control, leases, acks); a message is acknowledged only when the pipeline acknowledges it.
/// </summary>
public sealed class PubSubSubscriber : IPlaySource, ISourceStatus
{
    private readonly Subscriber.SubscriberClient _client;
    private readonly SubscriberSettings _settings;
    private readonly Func<CancellationToken, Task> _ready;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly StreamHealth _health;

    internal PubSubSubscriber(Subscriber.SubscriberClient client, string subscription, SubscriberSettings settings, Func<CancellationToken, Task> ready, TimeProvider clock, ILogger logger)
    {
        _client = client;
        Subscription = subscription;
        _settings = settings;
        _ready = ready;
        _clock = clock;
        _logger = logger;
        _health = new StreamHealth(clock);
        Source = "pubsub:" + subscription[(subscription.LastIndexOf('/') + 1)..];
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
        await _ready(cancellationToken).ConfigureAwait(false);
        await using var session = new SubscriberSession(_client, Subscription, Source, _settings, _clock, _logger, _health);
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
}
