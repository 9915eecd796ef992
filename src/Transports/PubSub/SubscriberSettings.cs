namespace ListeningTogether.Transports.PubSub;

/// <summary>How one subscriber reads: streams, flow control, ack deadline and the attributes that carry event time and id.</summary>
internal sealed record SubscriberSettings(
    int Streams,
    int MaxOutstandingMessages,
    long MaxOutstandingBytes,
    int AckDeadlineSeconds,
    string? TimestampAttribute = null,
    string? IdAttribute = null)
{
    public static SubscriberSettings From(PubSubTransportOptions options) => new(
        options.Streams,
        options.MaxOutstandingMessages,
        options.MaxOutstandingBytes,
        options.AckDeadlineSeconds,
        options.TimestampAttribute,
        options.IdAttribute);
}
