using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// The match shards of an Event Hubs match replica (DESIGN.md "One world view"): shard K is the repartition hub's
/// K-th partition, the one the ingest stage sends track K's plays to (<see cref="PartitionKeyRouter"/>), and the
/// replica owns the partitions its processor processes now. Nothing is owned and the count is 0 until the processor
/// has listed the hub's partitions.
/// </summary>
internal sealed class OwnedPartitions : IMatchShards
{
    private EventHubsPlayProcessor? _processor;

    public int Count => Volatile.Read(ref _processor)?.PartitionIds?.Count ?? 0;

    public IReadOnlyList<int> Owned
    {
        get
        {
            if (Volatile.Read(ref _processor) is not { PartitionIds: { } ids } processor)
            {
                return [];
            }

            var owned = new List<int>();
            for (int k = 0; k < ids.Count; k++)
            {
                if (processor.Owns(ids[k]))
                {
                    owned.Add(k);
                }
            }

            return owned;
        }
    }

    /// <summary>Speaks from now on for the partitions <paramref name="processor"/> owns.</summary>
    public void Follow(EventHubsPlayProcessor processor) => Volatile.Write(ref _processor, processor);

    public int ShardOf(string trackId)
    {
        int count = Count;
        return count < 1 ? IMatchShards.Unknown : PartitionKeyRouter.IndexOf(trackId, count);
    }
}
