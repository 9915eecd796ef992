namespace ListeningTogether.Streaming.Results;

/// <summary>
/// A match shard's progress on the results topic or hub (DESIGN.md "One world view"): every window ending at or
/// before <see cref="WatermarkMs"/> is complete from shard <see cref="Shard"/> of <see cref="Shards"/>, and
/// <see cref="Counts"/> gives, for each window completed since the shard's previous watermark (and, repeated, the
/// others of the last few seconds), how many co-plays it published for it (window start in epoch ms; windows with
/// none are left out). An idle shard says so and carries no counts.
/// </summary>
public sealed record ShardWatermark(int Shard, int Shards, long WatermarkMs, bool Idle, IReadOnlyDictionary<long, int> Counts)
{
    public static readonly IReadOnlyDictionary<long, int> NoCounts = new Dictionary<long, int>();
}
