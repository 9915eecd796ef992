namespace ListeningTogether.Abstractions;

/// <summary>A message received from a transport: its raw payload and a way to acknowledge it.</summary>
public interface IReceivedMessage
{
    ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Where it came from, for dead-letter entries (a subscription, partition or file name).</summary>
    string Source { get; }

    DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// Event time and event id the transport carries beside the payload (Pub/Sub attributes named by
    /// <c>TimestampAttribute</c> and <c>IdAttribute</c>); they take precedence over the payload's. None by default.
    /// </summary>
    PlayOverrides Overrides => default;

    /// <summary>Tells the transport the message is fully handled and need not come back.</summary>
    ValueTask AckAsync(CancellationToken cancellationToken);
}

/// <summary>A stream of raw play messages from a transport.</summary>
public interface IPlaySource
{
    IAsyncEnumerable<IReceivedMessage> ReadAllAsync(CancellationToken cancellationToken);
}

/// <summary>Publishes raw play messages to a transport.</summary>
public interface IPlayPublisher
{
    /// <remarks>The transport may keep <paramref name="payload"/> until it is sent: do not reuse its memory.</remarks>
    ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Returns once every play published so far has been sent, or throws what stopped it.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Receives the co-plays of each emitted window; must be idempotent on (window start, track).</summary>
public interface ICoPlaySink
{
    ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken);
}

/// <summary>Stores records that could not be processed, with their reason.</summary>
public interface IDeadLetterSink
{
    void Write(DeadLetter deadLetter);
}
