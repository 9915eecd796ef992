namespace ListeningTogether.Transports.PubSub;

/// <summary>How one publisher batches: a request goes out at <see cref="BatchCount"/> messages, <see cref="BatchBytes"/> bytes or after <see cref="BatchDelay"/>.</summary>
internal sealed record PublisherSettings(int BatchCount, int BatchBytes, TimeSpan BatchDelay, int Concurrency)
{
    /// <summary>Messages each lane buffers before publishers wait (backpressure, nothing dropped).</summary>
    public int LaneCapacity => Math.Max(BatchCount * 4, 1000);

    public static PublisherSettings From(PubSubTransportOptions options) => new(
        options.PublishBatchCount,
        options.PublishBatchBytes,
        TimeSpan.FromMilliseconds(options.PublishBatchDelayMs),
        options.PublishConcurrency);
}
