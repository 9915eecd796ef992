namespace ListeningTogether.Streaming.Site;

/// <summary>What a site knows of one match shard: its highest watermark, whether it is idle, what it announced.</summary>
internal sealed class ShardProgress(long firstWatermarkMs)
{
    /// <summary>The first watermark this site got from the shard: windows ending after it were emitted after this site subscribed.</summary>
    public long FirstWatermarkMs { get; } = firstWatermarkMs;

    public long WatermarkMs { get; private set; } = firstWatermarkMs;

    /// <summary>Left out of the minimum until its next watermark without <c>idle</c>.</summary>
    public bool Idle { get; private set; }

    /// <summary>Co-plays the shard published per window (window start), for windows not shown yet.</summary>
    public Dictionary<long, int> Announced { get; } = [];

    public void Advance(long watermarkMs, bool idle)
    {
        WatermarkMs = Math.Max(WatermarkMs, watermarkMs);
        Idle = idle;
    }

    /// <summary>Whether this shard has all of the window starting at <paramref name="windowStartMs"/>, given the co-plays of it received.</summary>
    public bool HasAllOf(long windowStartMs, long windowEndMs, int received) =>
        received >= Announced.GetValueOrDefault(windowStartMs) && (Idle || WatermarkMs >= windowEndMs);
}
