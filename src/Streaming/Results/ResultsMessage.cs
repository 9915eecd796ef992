using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Results;

/// <summary>One message of the results topic or hub: a co-play with the shard that matched it, or a shard's watermark.</summary>
public readonly record struct ResultsMessage
{
    /// <summary>The shard of a co-play that names none (a match replica from before shards spoke).</summary>
    public const int UnknownShard = IMatchShards.Unknown;

    private ResultsMessage(CoPlay? coPlay, int shard, ShardWatermark? watermark)
    {
        CoPlay = coPlay;
        Shard = shard;
        Watermark = watermark;
    }

    public CoPlay? CoPlay { get; }

    public int Shard { get; }

    public ShardWatermark? Watermark { get; }

    public static ResultsMessage Of(CoPlay coPlay, int shard) => new(coPlay, shard, null);

    public static ResultsMessage Of(ShardWatermark watermark) => new(null, watermark.Shard, watermark);
}
