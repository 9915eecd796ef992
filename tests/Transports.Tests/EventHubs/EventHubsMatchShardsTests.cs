using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// An Event Hubs match replica speaks for the repartition partitions it owns (DESIGN.md "One world view"): shard K is
/// the hub's K-th partition, the one the ingest stage sends a track's plays to, and the owned shards follow the
/// processor's load balancing. Nothing here reaches a network: the store's container is never called.
/// </summary>
public sealed class EventHubsMatchShardsTests
{
    [Fact]
    public async Task GivenAMatchReplicaOwningPartitionsOneAndThreeOfFour_ThenItSpeaksForThoseShardsUntilItLosesOne()
    {
        var hub = new TestEventHub(partitionCount: 4);
        var store = new BlobCheckpointStore(new BlobContainerClient("UseDevelopmentStorage=true", "unused"));
        var processor = new TestEventHubsProcessor(store, TimeProvider.System);
        EventHubsScaleOut topology = Topology(processor, store);
        IMatchShards shards = topology.MatchShards();
        Assert.Equal(0, shards.Count);
        Assert.Empty(shards.Owned);

        topology.OpenRepartitionedPlays();
        processor.ListPartitionsOf(hub);
        Assert.Equal(4, shards.Count);
        Assert.Empty(shards.Owned);

        await processor.InitializePartitionAsync("3");
        await processor.InitializePartitionAsync("1");
        Assert.Equal([1, 3], shards.Owned);

        await processor.StopPartitionAsync("1", ProcessingStoppedReason.OwnershipLost);
        Assert.Equal([3], shards.Owned);
    }

    [Fact]
    public void GivenTheRepartitionHubsPartitions_ThenATracksShardIsThePartitionTheIngestStageSendsItsPlaysTo()
    {
        var hub = new TestEventHub(partitionCount: 4);
        var store = new BlobCheckpointStore(new BlobContainerClient("UseDevelopmentStorage=true", "unused"));
        var processor = new TestEventHubsProcessor(store, TimeProvider.System);
        EventHubsScaleOut topology = Topology(processor, store);
        topology.OpenRepartitionedPlays();
        Assert.Equal(IMatchShards.Unknown, topology.MatchShards().ShardOf("spotify:track:4uLU6hMCjMI75M1A2tKUQC"));

        processor.ListPartitionsOf(hub);
        var router = new PartitionKeyRouter(hub.PartitionIds);
        string[] tracks = [.. Enumerable.Range(0, 400).Select(i => $"spotify:track:{i:D22}"), "spotify:track:ñandú-ünïcode"];
        int[] shards = [.. tracks.Select(topology.MatchShards().ShardOf)];

        Assert.Equal(tracks.Select(t => Array.IndexOf(hub.PartitionIds, router.PartitionFor(t))), shards);
        Assert.Equal([0, 1, 2, 3], shards.Distinct().Order());
    }

    private static EventHubsScaleOut Topology(TestEventHubsProcessor processor, BlobCheckpointStore store)
    {
        EventHubsTransportOptions options = TestEventHubsProcessor.Options();
        options.RepartitionEventHubName = "plays-by-track";
        return new EventHubsScaleOut(
            options,
            () => throw new NotSupportedException("raw plays"),
            _ => new EventHubsPlaySource(processor, store, TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger.Instance),
            _ => throw new NotSupportedException("publishing"),
            (_, _) => throw new NotSupportedException("results"));
    }
}
