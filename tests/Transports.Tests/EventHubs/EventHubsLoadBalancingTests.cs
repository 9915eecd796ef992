using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// Replicas balancing a hub's partitions with the SDK's own load balancer over this project's Blob store on a real
/// Azurite: they split the partitions evenly with never two owners of one, and the survivors take over the
/// partitions of a replica that stops or dies.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventHubsLoadBalancingTests(AzuriteServer azurite)
{
    private static readonly string[] Partitions = ["0", "1", "2", "3", "4", "5", "6", "7"];

    private async Task<BlobCheckpointStore> CreateStoreAsync() => new(await azurite.CreateContainerAsync("balance"));

    private static async Task<Dictionary<string, string[]>> OwnersAsync(CheckpointStore store) =>
        (await store.ListOwnershipAsync(TestEventHubsProcessor.Namespace, TestEventHubsProcessor.Hub, "$Default", CancellationToken.None))
            .Where(o => o.OwnerIdentifier is { Length: > 0 })
            .GroupBy(o => o.OwnerIdentifier)
            .ToDictionary(g => g.Key, g => g.Select(o => o.PartitionId).Order(StringComparer.Ordinal).ToArray());

    /// <summary>Runs cycles of every replica in turn (as their timers would) until the store shows what is wanted.</summary>
    private static async Task<Dictionary<string, string[]>> BalanceAsync(CheckpointStore store, SdkPartitionLoadBalancer[] replicas, Func<Dictionary<string, string[]>, bool> balanced)
    {
        for (int cycle = 0; cycle < 40; cycle++)
        {
            foreach (SdkPartitionLoadBalancer replica in replicas)
            {
                await replica.RunCycleAsync(Partitions);
            }

            Dictionary<string, string[]> owners = await OwnersAsync(store);
            if (balanced(owners))
            {
                return owners;
            }
        }

        return await OwnersAsync(store);
    }

    [Fact]
    public async Task GivenTwoReplicas_WhenTheyBalance_ThenEachOwnsHalfThePartitionsAndNoPartitionHasTwoOwners()
    {
        BlobCheckpointStore store = await CreateStoreAsync();
        var a = new SdkPartitionLoadBalancer(store, "replica-a", TimeSpan.FromMinutes(1));
        var b = new SdkPartitionLoadBalancer(store, "replica-b", TimeSpan.FromMinutes(1));

        Dictionary<string, string[]> owners = await BalanceAsync(store, [a, b], o => o.Count == 2 && o.Values.All(p => p.Length == 4));

        Assert.Equal(["replica-a", "replica-b"], owners.Keys.Order(StringComparer.Ordinal));
        Assert.All(owners.Values, p => Assert.Equal(4, p.Length));
        Assert.Equal(Partitions, owners.Values.SelectMany(p => p).Order(StringComparer.Ordinal));
        Assert.Equal(owners["replica-a"], a.OwnedPartitionIds);
        Assert.Equal(owners["replica-b"], b.OwnedPartitionIds);
    }

    [Fact]
    public async Task GivenOneReplicaOwningEverything_WhenASecondStarts_ThenItTakesHalfAndTheFirstLetsGoOfThoseWhenItRenews()
    {
        BlobCheckpointStore store = await CreateStoreAsync();
        var a = new SdkPartitionLoadBalancer(store, "replica-a", TimeSpan.FromMinutes(1));
        await BalanceAsync(store, [a], o => o.GetValueOrDefault("replica-a")?.Length == 8);

        var b = new SdkPartitionLoadBalancer(store, "replica-b", TimeSpan.FromMinutes(1));
        Dictionary<string, string[]> owners = await BalanceAsync(store, [a, b], o => o.Count == 2 && o.Values.All(p => p.Length == 4));

        // a learns of the partitions taken from it when it next renews its claims (each cycle renews those older than
        // the load-balancing interval, here 1 s), and stops processing them then; the store never had two owners.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await a.RunCycleAsync(Partitions);
        Assert.All(owners.Values, p => Assert.Equal(4, p.Length));
        Assert.Equal(owners["replica-a"], a.OwnedPartitionIds);
        Assert.Empty(a.OwnedPartitionIds.Intersect(b.OwnedPartitionIds));
        Assert.Equal(Partitions, a.OwnedPartitionIds.Concat(b.OwnedPartitionIds).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenTwoBalancedReplicas_WhenOneStops_ThenTheOtherTakesEveryPartition()
    {
        BlobCheckpointStore store = await CreateStoreAsync();
        var a = new SdkPartitionLoadBalancer(store, "replica-a", TimeSpan.FromMinutes(1));
        var b = new SdkPartitionLoadBalancer(store, "replica-b", TimeSpan.FromMinutes(1));
        await BalanceAsync(store, [a, b], o => o.Count == 2 && o.Values.All(p => p.Length == 4));

        await b.RelinquishAsync();
        Dictionary<string, string[]> owners = await BalanceAsync(store, [a], o => o.Count == 1 && o.Values.Single().Length == 8);

        Assert.Equal(Partitions, Assert.Single(owners, o => o.Key == "replica-a").Value);
        Assert.Single(owners);
    }

    [Fact]
    public async Task GivenTwoBalancedReplicas_WhenOneDiesWithoutLettingGo_ThenTheOtherTakesItsPartitionsOnceTheClaimsExpire()
    {
        BlobCheckpointStore store = await CreateStoreAsync();
        TimeSpan expiration = TimeSpan.FromSeconds(2);
        var a = new SdkPartitionLoadBalancer(store, "replica-a", expiration);
        var b = new SdkPartitionLoadBalancer(store, "replica-b", expiration);
        await BalanceAsync(store, [a, b], o => o.Count == 2 && o.Values.All(p => p.Length == 4));

        // b stops renewing; until its claims are older than the expiration a leaves them alone.
        await a.RunCycleAsync(Partitions);
        Assert.Equal(4, (await OwnersAsync(store))["replica-b"].Length);
        await Task.Delay(expiration + TimeSpan.FromMilliseconds(500));
        Dictionary<string, string[]> owners = await BalanceAsync(store, [a], o => o.GetValueOrDefault("replica-a")?.Length == 8);

        Assert.Equal(Partitions, owners["replica-a"]);
        Assert.False(owners.ContainsKey("replica-b"));
    }
}
