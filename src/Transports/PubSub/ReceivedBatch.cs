using ListeningTogether.Transports.PubSub.V1;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// The messages of one StreamingPull response: one allocation per message plus this, and the unit whose ack
/// deadlines the lease keeper extends until all of its messages are acknowledged.
/// </summary>
internal sealed class ReceivedBatch
{
    private int _unacked;

    public ReceivedBatch(SubscriberSession session, StreamingPullResponse response, DateTimeOffset receivedAt, long receivedTimestamp, SubscriberSettings settings, int generation = 0)
    {
        Session = session;
        Generation = generation;
        ReceivedAt = receivedAt;
        NextExtensionTimestamp = receivedTimestamp;
        var messages = new PubSubReceivedMessage[response.ReceivedMessages.Count];
        long bytes = 0;
        for (int i = 0; i < messages.Length; i++)
        {
            ReceivedMessage received = response.ReceivedMessages[i];
            PubsubMessage message = received.Message;
            messages[i] = new PubSubReceivedMessage(
                this,
                received.AckId,
                message.Data.Memory,
                EventAttributes.Read(message.Attributes, settings.TimestampAttribute, settings.IdAttribute));
            bytes += message.Data.Length;
        }

        Messages = messages;
        Bytes = bytes;
        _unacked = messages.Length;
    }

    public SubscriberSession Session { get; }

    /// <summary>The life of the subscription its messages were received in (<see cref="SubscriptionGeneration"/>).</summary>
    public int Generation { get; }

    public PubSubReceivedMessage[] Messages { get; }

    public long Bytes { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>When the lease keeper next extends this batch's deadlines (a <see cref="TimeProvider"/> timestamp).</summary>
    public long NextExtensionTimestamp { get; set; }

    public bool AllAcked => Volatile.Read(ref _unacked) == 0;

    public void OnAcked() => Interlocked.Decrement(ref _unacked);
}
