using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The project's processor with the SDK's own seams opened for tests: its protected processing path is called
/// directly, as the SDK's partition pumps would. The checkpoint store is the real one. Its connection string points
/// at a closed loopback port and is never used: nothing reaches a network. Given a <see cref="TestEventHub"/>, starting
/// the processor claims all of that hub's partitions and runs a <see cref="PartitionPump"/> for each until it stops.
/// </summary>
internal sealed class TestEventHubsProcessor : EventHubsPlayProcessor
{
    public const string Namespace = "127.0.0.1";
    public const string Hub = "plays";

    private readonly TestEventHub? _hub;
    private readonly int _batchSize;
    private Func<Task>? _stopPumps;

    public TestEventHubsProcessor(CheckpointStore store, TimeProvider clock, EventHubsTransportOptions? options = null, TestEventHub? hub = null)
        : base(store, options ??= Options(), clock, NullLogger.Instance)
    {
        _hub = hub;
        _batchSize = options.ReceiveBatchSize;
    }

    public static EventHubsTransportOptions Options(string? identifier = null) => new()
    {
        ConnectionString = $"Endpoint=sb://{Namespace}:1/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==;EntityPath={Hub};UseDevelopmentEmulator=true",
        ConsumerGroup = "$Default",
        Identifier = identifier,
        ReceiveBufferCapacity = 100_000,
        CheckpointStore = new EventHubsCheckpointStoreOptions { ConnectionString = "UseDevelopmentStorage=true", Container = "unused" },
    };

    /// <summary>Starts the SDK's processing loop (it finds no hub and retries harmlessly) and, with a hub, pumps each of its partitions.</summary>
    public override async Task StartProcessingAsync(CancellationToken cancellationToken = default)
    {
        await base.StartProcessingAsync(cancellationToken);
        if (_hub is not null && _stopPumps is null)
        {
            ListPartitionsOf(_hub);
            var stopping = new CancellationTokenSource();
            Task[] pumps = [.. _hub.PartitionIds.Select(id => Task.Run(() => new PartitionPump(this, id, _hub[id], _batchSize).RunAsync(stopping.Token), CancellationToken.None))];
            _stopPumps = async () =>
            {
                await stopping.CancelAsync();
                await Task.WhenAll(pumps);
                stopping.Dispose();
            };
        }
    }

    /// <summary>As the SDK does: every partition's processing stops (writing its checkpoint) before stopping completes.</summary>
    public override async Task StopProcessingAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopPumps, null) is { } stopPumps)
        {
            await stopPumps();
        }

        await base.StopProcessingAsync(cancellationToken);
    }

    /// <summary>What the SDK's load balancing does on each cycle: list the hub's partitions.</summary>
    public void ListPartitionsOf(TestEventHub hub) => KnowPartitions(hub.PartitionIds);

    /// <summary>What the SDK does on claiming a partition: initialize it, then read its stored checkpoint; returns the sequence number to read from.</summary>
    public async Task<long> ClaimPartitionAsync(string partitionId)
    {
        await InitializePartitionAsync(partitionId);
        return PartitionLog.FirstAfter(await ReadCheckpointAsync(partitionId));
    }

    /// <summary>What the SDK does when this replica starts processing a partition it claimed.</summary>
    public Task InitializePartitionAsync(string partitionId) =>
        OnInitializingPartitionAsync(new TestPartition(partitionId), CancellationToken.None);

    /// <summary>What a partition pump does with each batch it read.</summary>
    public Task DeliverAsync(string partitionId, IEnumerable<EventData> events, CancellationToken cancellationToken = default) =>
        OnProcessingEventBatchAsync(events, new TestPartition(partitionId), cancellationToken);

    /// <summary>What the SDK does when a partition's processing ends (shutdown, or ownership lost to another replica).</summary>
    public Task StopPartitionAsync(string partitionId, ProcessingStoppedReason reason) =>
        OnPartitionProcessingStoppedAsync(new TestPartition(partitionId), reason, CancellationToken.None);

    /// <summary>The checkpoint the SDK would start a partition from, read through the processor from the store.</summary>
    public Task<EventProcessorCheckpoint> ReadCheckpointAsync(string partitionId) =>
        GetCheckpointAsync(partitionId, CancellationToken.None);

    public Task ReportErrorAsync(Exception exception, string partitionId) =>
        OnProcessingErrorAsync(exception, new TestPartition(partitionId), "test", CancellationToken.None);

    /// <summary>The SDK checks the hub before starting; there is no hub here (its loop then retries in vain, harmlessly).</summary>
    protected override Task ValidateProcessingPreconditions(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class TestPartition : EventProcessorPartition
    {
        public TestPartition(string partitionId)
        {
            PartitionId = partitionId;
        }
    }
}
