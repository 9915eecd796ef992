using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// The scale-out topology inside one process: a channel each for raw plays, repartitioned plays and results. It
/// lets the stages run split but in process (tests, and the demo's shape of a deployment).
/// </summary>
public sealed class InMemoryScaleOut(InMemoryTransport plays, InMemoryTransport repartition, InMemoryTransport results) : IScaleOutTransport
{
    public IPlaySource OpenPlays() => plays;

    public IKeyedPublisher OpenRepartitionPublisher() => new KeyIgnoringPublisher(repartition);

    public IPlaySource OpenRepartitionedPlays() => repartition;

    public IKeyedPublisher OpenResultsPublisher() => new KeyIgnoringPublisher(results);

    public IPlaySource OpenResults() => results;

    /// <summary>One channel of repartitioned plays: one match shard.</summary>
    public MatchShard MatchShard() => new(0, 1);

    /// <summary>One channel has one partition, so the key changes nothing.</summary>
    private sealed class KeyIgnoringPublisher(InMemoryTransport transport) : IKeyedPublisher
    {
        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            transport.PublishAsync(payload, cancellationToken);
    }
}
