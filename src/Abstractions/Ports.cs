namespace ListeningTogether.Abstractions;

/// <summary>A message received from a transport: its raw payload and a way to acknowledge it.</summary>
public interface IReceivedMessage
{
    ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Where it came from, for dead-letter entries (a subscription, partition or file name).</summary>
    string Source { get; }

    DateTimeOffset ReceivedAt { get; }

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
    /// <summary>Publishes one play. The payload is copied before the call returns, so the caller may reuse its buffer at once.</summary>
    ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
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
