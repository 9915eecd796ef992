using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// The scale-out topology inside one process: a channel each for raw plays and repartitioned plays, and results
/// fanned out to every site replica that opened them (DESIGN.md "One world view"). It lets the stages run split but
/// in process (tests, and the demo's shape of a deployment).
/// </summary>
/// <param name="results">The first site replica's results channel.</param>
/// <param name="newResultsChannel">Makes the results channel of each further site replica; without it, only one replica may read results.</param>
public sealed class InMemoryScaleOut(InMemoryTransport plays, InMemoryTransport repartition, InMemoryTransport results, Func<InMemoryTransport>? newResultsChannel = null) : IScaleOutTransport
{
    private readonly ResultsFanOut _results = new(results, newResultsChannel);

    public IPlaySource OpenPlays() => plays;

    public IKeyedPublisher OpenRepartitionPublisher() => new KeyIgnoringPublisher(repartition);

    public IPlaySource OpenRepartitionedPlays() => repartition;

    public IKeyedPublisher OpenResultsPublisher() => _results;

    public IPlaySource OpenResults(string replicaName) => _results.ChannelOf(replicaName);

    /// <summary>One channel of repartitioned plays: one match shard.</summary>
    public IMatchShards MatchShards() => new MatchShard(0, 1);

    /// <summary>One channel has one partition, so the key changes nothing.</summary>
    private sealed class KeyIgnoringPublisher(InMemoryTransport transport) : IKeyedPublisher
    {
        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            transport.PublishAsync(payload, cancellationToken);
    }
}
