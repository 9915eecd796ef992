namespace ListeningTogether.Abstractions;

/// <summary>The repartition shard of a track: FNV-1a 64-bit over the track id's UTF-8 bytes, modulo the shard count.</summary>
public static class TrackShard
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Fnv1a64(ReadOnlySpan<byte> utf8)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    public static int Of(ReadOnlySpan<byte> trackIdUtf8, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return (int)(Fnv1a64(trackIdUtf8) % (ulong)shardCount);
    }
}
