using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.PubSub;

/// <summary>One message of a StreamingPull response; acknowledging it hands its ack id to the session's batched acks.</summary>
internal sealed class PubSubReceivedMessage(ReceivedBatch batch, string ackId, ReadOnlyMemory<byte> payload, PlayOverrides overrides) : IReceivedMessage
{
    private int _acked;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public string Source => batch.Session.Source;

    public DateTimeOffset ReceivedAt => batch.ReceivedAt;

    public PlayOverrides Overrides { get; } = overrides;

    public string AckId { get; } = ackId;

    public bool IsAcked => Volatile.Read(ref _acked) != 0;

    public ValueTask AckAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _acked, 1) == 0)
        {
            batch.Session.OnAcked(this, batch.Generation);
            batch.OnAcked();
        }

        return ValueTask.CompletedTask;
    }
}
