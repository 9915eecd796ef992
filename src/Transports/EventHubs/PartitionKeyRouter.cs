using System.Text;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Maps a partition key (a track id) to one of the hub's partitions by FNV-1a 64-bit over its UTF-8 bytes, the
/// project's stable hash: every replica sends one key to one partition, and batches can be filled per partition
/// instead of per key.
/// </summary>
internal sealed class PartitionKeyRouter
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    private readonly string[] _partitionIds;

    public PartitionKeyRouter(IReadOnlyList<string> partitionIds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(partitionIds.Count);
        _partitionIds = [.. partitionIds];
    }

    public string PartitionFor(string key)
    {
        int length = Encoding.UTF8.GetByteCount(key);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(key, utf8);
        return _partitionIds[(int)(Fnv1a64(utf8) % (ulong)_partitionIds.Length)];
    }

    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
