using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Maps a partition key (a track id) to one of the hub's partitions by FNV-1a 64-bit over its UTF-8 bytes, the
/// project's stable hash: every replica sends one key to one partition, and batches can be filled per partition
/// instead of per key.
/// </summary>
internal sealed class PartitionKeyRouter
{
    private readonly string[] _partitionIds;

    public PartitionKeyRouter(IReadOnlyList<string> partitionIds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(partitionIds.Count);
        _partitionIds = [.. partitionIds];
    }

    public string PartitionFor(string key) => _partitionIds[IndexOf(key, _partitionIds.Length)];

    /// <summary>The index, among <paramref name="partitionCount"/> partitions in the service's order, of <paramref name="key"/>'s partition.</summary>
    public static int IndexOf(string key, int partitionCount)
    {
        int length = Encoding.UTF8.GetByteCount(key);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(key, utf8);
        return TrackShard.Of(utf8, partitionCount);
    }
}
