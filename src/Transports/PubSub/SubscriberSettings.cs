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
    /// <summary>How long a stream is read before another one takes its place.</summary>
    public TimeSpan StreamLifetime { get; init; } = StreamingPullStream.DefaultLifetime;

    public static SubscriberSettings From(PubSubTransportOptions options) => new(
        options.Streams,
        options.MaxOutstandingMessages,
        options.MaxOutstandingBytes,
        options.AckDeadlineSeconds,
        options.TimestampAttribute,
        options.IdAttribute)
    {
        StreamLifetime = options.StreamLifetime,
    };
}
