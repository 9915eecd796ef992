using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>
/// What the conformance suite needs from a transport: where plays are published, and readers on the one
/// subscription (or consumer group) the pipeline consumes. Each <see cref="OpenSource"/> is a fresh worker's view.
/// </summary>
public abstract class TransportUnderTest : IAsyncDisposable
{
    public abstract IPlayPublisher Publisher { get; }

    /// <summary>Whether a message read but never acknowledged comes back to a later reader.</summary>
    public abstract bool RedeliversUnacknowledged { get; }

    /// <summary>With <see cref="RedeliversUnacknowledged"/>: how soon after a reader stops its held messages have all come back.</summary>
    public virtual TimeSpan RedeliveryWithin => TimeSpan.Zero;

    /// <summary>How long the suite waits for a run to finish (Pub/Sub redelivery waits for the ack deadline).</summary>
    public virtual TimeSpan Patience => TimeSpan.FromSeconds(60);

    /// <summary>A reader of the transport, as a (re)started worker would open it.</summary>
    public abstract IPlaySource OpenSource();

    /// <summary>
    /// Called once every message was acknowledged and the reader stopped: fails when the transport's own record
    /// disagrees, so that a transport cannot pass by redelivering everything (Event Hubs: a checkpoint at each
    /// partition's last event). Most transports have no such record to read.
    /// </summary>
    public virtual Task AssertNothingPendingAsync() => Task.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
