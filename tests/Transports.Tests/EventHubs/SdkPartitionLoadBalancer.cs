using System.Reflection;
using Azure.Messaging.EventHubs.Primitives;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The SDK's own partition load balancer, the one a running processor uses each cycle, over a given checkpoint
/// store. The type is internal to Azure.Messaging.EventHubs (5.12.2 is pinned), so it is reached by reflection:
/// a running processor cannot be started without a live hub, since each cycle first reads the hub's properties.
/// </summary>
internal sealed class SdkPartitionLoadBalancer
{
    private static readonly Type BalancerType =
        typeof(CheckpointStore).Assembly.GetType("Azure.Messaging.EventHubs.Primitives.PartitionLoadBalancer", throwOnError: true)!;

    private readonly object _balancer;

    public SdkPartitionLoadBalancer(CheckpointStore store, string owner, TimeSpan ownershipExpiration)
    {
        _balancer = Activator.CreateInstance(
            BalancerType,
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
            binder: null,
            // (checkpointStore, identifier, consumerGroup, fullyQualifiedNamespace, eventHubName, ownershipExpiration, loadBalancingInterval)
            [store, owner, "$Default", TestEventHubsProcessor.Namespace, TestEventHubsProcessor.Hub, ownershipExpiration, TimeSpan.FromSeconds(1)],
            culture: null)!;
    }

    public IReadOnlyList<string> OwnedPartitionIds =>
        [.. ((IEnumerable<string>)BalancerType.GetProperty("OwnedPartitionIds")!.GetValue(_balancer)!).Order(StringComparer.Ordinal)];

    /// <summary>One load-balancing cycle: renew own claims, then claim or steal at most one partition.</summary>
    public async Task RunCycleAsync(string[] partitionIds) =>
        await (ValueTask<EventProcessorPartitionOwnership>)BalancerType.GetMethod("RunLoadBalancingAsync")!.Invoke(_balancer, [partitionIds, CancellationToken.None])!;

    /// <summary>What a processor does when it stops: gives up every claim.</summary>
    public Task RelinquishAsync() =>
        (Task)BalancerType.GetMethod("RelinquishOwnershipAsync")!.Invoke(_balancer, [CancellationToken.None])!;
}
