namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Which life of a subscription messages were received in. It moves on when the subscription is found gone or is
/// created anew: the messages of an earlier life went with it, so their acks and deadline extensions are dropped
/// rather than sent. Sending them would be worse than useless on the emulator, whose ack ids are the subscription
/// and the message id, and whose message ids start again at 1 after a restart: an old ack id can name a new message.
/// </summary>
internal sealed class SubscriptionGeneration
{
    private int _current;

    public int Current => Volatile.Read(ref _current);

    /// <summary>The subscription is gone, or was just created: what was received before belongs to its earlier life.</summary>
    public void Advance() => Interlocked.Increment(ref _current);

    public bool IsCurrent(int generation) => generation == Current;
}
