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
    /// <summary>Publishes one play. The payload is copied before the call returns, so the caller may reuse its buffer at once.</summary>
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

/// <summary>Publishes to a scale-out topic or hub, where the key (a track id) chooses the shard or partition.</summary>
public interface IKeyedPublisher
{
    /// <summary>Completes once the transport holds the message durably. The payload is copied before the call returns.</summary>
    ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Returns once everything published so far is held by the transport (a batching publisher sends now).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// A transport's scale-out topology (DESIGN.md "Scale-out"): raw plays into ingest, the repartition topic or hub
/// keyed by track between ingest and match, and the results topic or hub between match and the site. Each
/// stage opens only what it uses.
/// </summary>
public interface IScaleOutTransport
{
    /// <summary>Raw plays, for the ingest stage (competing consumers).</summary>
    IPlaySource OpenPlays();

    IKeyedPublisher OpenRepartitionPublisher();

    /// <summary>This replica's share of the repartition topic or hub (its shard, or the partitions it owns).</summary>
    IPlaySource OpenRepartitionedPlays();

    IKeyedPublisher OpenResultsPublisher();

    /// <summary>
    /// The shards this match replica speaks for on the results topic or hub (its Pub/Sub shard, or the repartition
    /// partitions it owns); null where it cannot say, and co-plays then travel without a shard.
    /// </summary>
    IMatchShards? MatchShards() => null;

    /// <summary>
    /// Every co-play and watermark for the site replica <paramref name="replicaName"/> (lower-case [a-z0-9-]): each
    /// replica reads all results, not a share of them (DESIGN.md "One world view").
    /// </summary>
    IPlaySource OpenResults(string replicaName);
}

/// <summary>A source that can tell whether it can be read now, for <c>/readyz</c> (sources that cannot tell are taken as readable).</summary>
public interface ISourceStatus
{
    /// <summary>Null while the source can be read; else why not, naming the subscription or hub.</summary>
    string? Problem { get; }
}

/// <summary>
/// A publisher that can tell whether its sends reach the transport now, for <c>/readyz</c> and the outage limit
/// (publishers that cannot tell are taken as reaching it; their failures surface as exceptions).
/// </summary>
public interface IPublisherStatus
{
    /// <summary>Null while sends reach the transport; else why not, naming the topic or hub.</summary>
    string? Problem { get; }
}
