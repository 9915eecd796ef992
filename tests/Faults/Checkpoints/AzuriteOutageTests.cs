using System.Diagnostics;
using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.Tests.EventHubs;
using Xunit.Abstractions;

namespace ListeningTogether.Faults.Tests.Checkpoints;

/// <summary>
/// Fault matrix, "Azurite stopped, then started again": Event Hubs processing with Blob checkpoints (the project's
/// processor and checkpoint store on real Azurite, the conformance suite's in-process hub standing in for the
/// service, no Event Hubs emulator running here) while plays flow. The worker goes on through the outage,
/// checkpoints resume once Azurite is back, no checkpoint ever passes a play whose window was not emitted, and a
/// worker restarted from the checkpoints completes the results of one uninterrupted run, row for row.
/// </summary>
public sealed class AzuriteOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long Azurite stays down: 10 s keeps the suite in its budget (DESIGN.md "Test budget"); the fault matrix asks for 20 s by hand.</summary>
    private const int OutageSeconds = 10;

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(OutageSeconds);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Lateness well above any delivery delay between partitions on a busy machine, so no play is late and the runs compare exactly.</summary>
    private static readonly PipelineOptions Live = new() { AllowedLatenessMs = 5_000, IdleFlushMs = 60_000 };

    /// <summary>A restarted or batch-fed worker: the open windows go out once the backlog is read.</summary>
    private static readonly PipelineOptions Draining = new() { AllowedLatenessMs = 5_000, IdleFlushMs = 3_000 };

    private readonly AzuriteServer _azurite = new();
    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = Lt.MaxMindTest("GeoIP2-City-Test.mmdb") });

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _geo.Dispose();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task GivenPlaysFlowingWithBlobCheckpoints_WhenAzuriteStopsAndStartsAgain_ThenTheWorkerGoesOnCheckpointsResumeNeverPastAnUnemittedWindowAndARestartGivesTheUninterruptedResults()
    {
        var hub = new TestEventHub(partitionCount: 4);
        var feed = new PlayFeed(hub, DateTimeOffset.UtcNow.AddMinutes(-2));
        BlobCheckpointStore store = Store("checkpoints");
        var results = new ResultsTable();
        var audit = new CheckpointAudit(store, feed, results);
        using var feeding = new CancellationTokenSource();
        Task fed = feed.RunAsync(feeding.Token);

        await using CheckpointedWorker first = await CheckpointedWorker.StartAsync(hub, audit, store, results, _geo, Live, "worker-before");
        await UntilAsync(() => Task.FromResult(hub.PartitionIds.All(audit.Written.ContainsKey)), Patience, "a checkpoint of every partition", first);

        IReadOnlyDictionary<string, long> writtenBefore = audit.Written;
        (int emittedBefore, int failedBefore) = (results.Count, audit.FailedWrites);
        await _azurite.StopAsync();
        var down = Stopwatch.StartNew();
        await UntilAsync(() => Task.FromResult(down.Elapsed >= Outage), Outage + Patience, "the outage to last its time", first);
        Assert.True(results.Count > emittedBefore, $"No window was emitted during the outage ({results.Count} rows before and after).");
        Assert.True(audit.FailedWrites > failedBefore, "No checkpoint write was tried during the outage.");
        IReadOnlyDictionary<string, long> writtenBeforeRestart = audit.Written;

        await _azurite.RestartAsync();
        var back = Stopwatch.StartNew();
        await UntilAsync(
            async () => await CheckpointsPassAsync(store, hub, writtenBeforeRestart),
            Patience,
            "every partition's checkpoint blob to move again after the outage",
            first);
        TimeSpan resumed = back.Elapsed;

        await feeding.CancelAsync();
        await fed;
        await Task.Delay(500);
        await first.StopAsync();
        Assert.True(first.Failure is null, first.Failure);

        // A new worker (another replica, or the same pod restarted) starts from the checkpoints and drains the rest.
        await using CheckpointedWorker second = await CheckpointedWorker.StartAsync(hub, audit, store, results, _geo, Draining, "worker-after");
        await UntilAsync(() => CheckpointsAtEndAsync(store, hub, feed), Patience, "every partition's checkpoint to reach its last event", second);
        await second.StopAsync();
        Assert.True(second.Failure is null, second.Failure);

        IReadOnlyList<CoPlay> uninterrupted = await UninterruptedRunAsync(feed.All);
        output.WriteLine(
            $"Azurite down {OutageSeconds} s; checkpoints of every partition moved again {resumed.TotalSeconds:0.0} s after it was back; " +
            $"before the outage {string.Join(", ", writtenBefore.OrderBy(w => w.Key).Select(w => $"{w.Key}@{w.Value}"))}; " +
            $"{audit.Writes} checkpoint writes, {audit.FailedWrites} failed; {results.Count} co-plays, {feed.All.Count} events");
        Assert.True(audit.Violations.Count == 0, $"{audit.Violations.Count} checkpointed events of unemitted windows, the first: {string.Join("; ", audit.Violations.Take(3))}");
        Assert.True(results.DifferingReplacements.Count == 0, $"{results.DifferingReplacements.Count} rows emitted again differently, the first: {string.Join("; ", results.DifferingReplacements.Take(3))}");
        Assert.Equal(0, first.Counters[IneligibleReason.Late]);
        Assert.Equal(0, second.Counters[IneligibleReason.Late]);
        Assert.Equal(feed.Windows * PlayFeed.Tracks, uninterrupted.Count);
        Assert.Equal(uninterrupted, results.Rows());
    }

    /// <summary>The same events, all on one partition in the order they were fed, read by one worker that is never interrupted.</summary>
    private async Task<IReadOnlyList<CoPlay>> UninterruptedRunAsync(IReadOnlyList<byte[]> events)
    {
        var hub = new TestEventHub(partitionCount: 1);
        hub[hub.PartitionIds[0]].Append(events);
        BlobCheckpointStore store = Store("uninterrupted");
        var results = new ResultsTable();
        await using CheckpointedWorker worker = await CheckpointedWorker.StartAsync(hub, store, store, results, _geo, Draining, "uninterrupted");
        await UntilAsync(() => CheckpointAtAsync(store, hub.PartitionIds[0], events.Count - 1), Patience, "the uninterrupted run to checkpoint its last event", worker);
        await worker.StopAsync();
        Assert.True(worker.Failure is null, worker.Failure);
        Assert.Equal(0, worker.Counters[IneligibleReason.Late]);
        return results.Rows();
    }

    /// <summary>A checkpoint store on a new container, made as the Event Hubs transport makes it from its settings.</summary>
    private BlobCheckpointStore Store(string prefix) => EventHubsClientFactory.CreateCheckpointStore(
        new EventHubsCheckpointStoreOptions { ConnectionString = _azurite.ConnectionString, Container = $"{prefix}-{Guid.NewGuid():N}" },
        () => throw new InvalidOperationException("A connection string needs no credential."));

    private static async Task<bool> CheckpointsPassAsync(BlobCheckpointStore store, TestEventHub hub, IReadOnlyDictionary<string, long> written)
    {
        foreach (string partition in hub.PartitionIds)
        {
            if (await StoredAsync(store, partition) is not { } stored || stored <= written[partition])
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> CheckpointsAtEndAsync(BlobCheckpointStore store, TestEventHub hub, PlayFeed feed)
    {
        foreach (string partition in hub.PartitionIds)
        {
            if (!await CheckpointAtAsync(store, partition, feed.LastSequenceNumber(partition)))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> CheckpointAtAsync(BlobCheckpointStore store, string partition, long sequenceNumber) =>
        await StoredAsync(store, partition) == sequenceNumber;

    /// <summary>The sequence number in a partition's checkpoint blob, read as a restarting processor reads it.</summary>
    private static async Task<long?> StoredAsync(BlobCheckpointStore store, string partition)
    {
        EventProcessorCheckpoint? checkpoint = await new TestEventHubsProcessor(store, TimeProvider.System).ReadCheckpointAsync(partition);
        return (checkpoint as BlobCheckpoint)?.SequenceNumber;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails at once when the worker stops running or records a failure.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what, CheckpointedWorker worker)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(worker.IsRunning && worker.Failure is null, $"The worker stopped while waiting for {what}: {worker.Failure ?? "its loop ended"}.");
            if (await condition())
            {
                return;
            }

            Assert.True(clock.Elapsed < patience, $"Not within {patience.TotalSeconds:0} s: {what}.");
            await Task.Delay(200);
        }
    }
}
