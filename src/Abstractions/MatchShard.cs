namespace ListeningTogether.Abstractions;

/// <summary>The match shard a replica speaks for on the results topic or hub: shard <see cref="Index"/> of <see cref="Count"/> (DESIGN.md "One world view").</summary>
public sealed record MatchShard(int Index, int Count);
