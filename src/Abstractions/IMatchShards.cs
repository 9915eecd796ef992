namespace ListeningTogether.Abstractions;

/// <summary>
/// The match shards one replica speaks for on the results topic or hub (DESIGN.md "One world view"): on Pub/Sub its
/// one shard, on Event Hubs the repartition partitions it owns at the moment, which load balancing may change.
/// </summary>
public interface IMatchShards
{
    /// <summary>The shard of a co-play while the shards are not known: it goes without one.</summary>
    const int Unknown = -1;

    /// <summary>How many shards there are; 0 while not known yet (nothing is said for any shard then).</summary>
    int Count { get; }

    /// <summary>The shards this replica owns now, in ascending order.</summary>
    IReadOnlyList<int> Owned { get; }

    /// <summary>The shard whose plays a co-play of <paramref name="trackId"/> came from, or <see cref="Unknown"/>.</summary>
    int ShardOf(string trackId);
}
