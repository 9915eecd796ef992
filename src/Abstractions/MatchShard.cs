namespace ListeningTogether.Abstractions;

/// <summary>A replica that is one fixed shard, <see cref="Index"/> of <see cref="Count"/> (a Pub/Sub shard): every co-play it finds is that shard's.</summary>
public sealed record MatchShard(int Index, int Count) : IMatchShards
{
    public IReadOnlyList<int> Owned => [Index];

    public int ShardOf(string trackId) => Index;
}
