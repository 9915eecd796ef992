using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// A batching publisher to one topic. <see cref="PublishAsync(PubSubOutgoingMessage, CancellationToken)"/>
/// returns once the message is buffered (waiting while the buffer is full) and <see cref="FlushAsync"/> once all
/// buffered messages are sent. Messages are spread over <c>PublishConcurrency</c> lanes, each sending one batch at
/// a time; a message with an ordering key always takes the lane of its key, so a key's order holds. With
/// <c>CreateMissing</c>, a topic the service lost (an emulator restart) is created again and the batch sent on.
/// </summary>
public sealed class PubSubPublisher : IPlayPublisher, IPublisherStatus, IAsyncDisposable
{
    private readonly PublishLane[] _lanes;
    private readonly PlayMessageShaper _shaper;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PublishHealth _health = new();
    private readonly PublishFailure _failure;
    private int _next;
    private int _disposed;

    internal PubSubPublisher(Publisher.PublisherClient client, string topic, PublisherSettings settings, PlayMessageShaper shaper, MissingResources resources, TimeProvider clock, ILogger logger)
    {
        Topic = topic;
        _shaper = shaper;
        _failure = new PublishFailure(topic);
        _lanes = new PublishLane[settings.Concurrency];
        for (int i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new PublishLane(i, client, topic, settings, _failure, _health, resources, clock, logger, _stopping.Token);
        }
    }

    /// <summary>The full topic name, <c>projects/P/topics/T</c>.</summary>
    public string Topic { get; }

    /// <summary>
    /// Null while sends reach the service; else why a batch is being retried. Null too once publishing failed for
    /// good: the next publish or flush throws that failure.
    /// </summary>
    public string? Problem => _failure.IsSet ? null : _health.Problem;

    /// <summary>Messages the service has taken so far.</summary>
    public long Published => _lanes.Sum(l => l.Published);

    /// <summary>Publishes a play; its ordering key and attributes follow the transport's settings.</summary>
    public ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        PublishAsync(_shaper.Shape(payload), cancellationToken);

    internal ValueTask PublishAsync(PubSubOutgoingMessage message, CancellationToken cancellationToken)
    {
        PublishLane lane = message.OrderingKey is { Length: > 0 } key
            ? _lanes[(int)((uint)StableHash(key) % (uint)_lanes.Length)]
            : _lanes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_lanes.Length)];
        return lane.EnqueueAsync(PublishLane.ToMessage(message), cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (PublishLane lane in _lanes)
        {
            await lane.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is buffered (giving up after a minute of failures), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.CancelAfter(TimeSpan.FromMinutes(1));
        await Task.WhenAll(_lanes.Select(l => l.CompleteAsync())).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>FNV-1a over the key's UTF-16 code units: the same lane for the same key in every process.</summary>
    private static int StableHash(string key)
    {
        uint hash = 2166136261;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
