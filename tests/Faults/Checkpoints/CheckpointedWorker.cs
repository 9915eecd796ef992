using Azure.Messaging.EventHubs.Primitives;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.Tests.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Faults.Tests.Checkpoints;

/// <summary>
/// One match worker on Event Hubs, in-process: the project's processor (over a <see cref="TestEventHub"/>, whose
/// partition pumps stand in for the service) checkpointing into the project's Blob checkpoint store, read by the
/// real <see cref="EventHubsPlaySource"/> into the Host's real streaming pipeline, which writes to one results sink.
/// A failure that would end the process is recorded, not thrown.
/// </summary>
internal sealed class CheckpointedWorker : IAsyncDisposable
{
    /// <summary>Short, so a checkpoint follows each emitted window closely.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    private readonly StageService<StreamingPipeline> _pipeline;
    private readonly StageFailures _failures = new(null);
    private bool _stopped;

    private CheckpointedWorker(TestEventHub hub, CheckpointStore processorStore, BlobCheckpointStore store, ICoPlaySink results, GeoDatabases geo, PipelineOptions options, string identifier)
    {
        var processor = new TestEventHubsProcessor(processorStore, TimeProvider.System, TestEventHubsProcessor.Options(identifier), hub);
        var source = new EventHubsPlaySource(processor, store, CheckpointInterval, TimeProvider.System, NullLogger.Instance);
        _pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            source,
            new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(options)),
            Options.Create(options),
            [results],
            [],
            Counters,
            TimeProvider.System,
            NullLogger<StreamingPipeline>.Instance,
            supervisor: Supervisor(_failures)));
    }

    public PipelineCounters Counters { get; } = new();

    /// <summary>The one line the process would have ended with (exit code 1), or null.</summary>
    public string? Failure => _failures.First is { } failure ? $"{failure.Description} ({failure.Failure.GetType().Name})" : null;

    /// <summary>Whether the pipeline loop still runs (until stopped, or until a failure ends it).</summary>
    public bool IsRunning => _pipeline.ExecuteTask is { IsCompleted: false };

    /// <param name="processorStore">The store the processor writes checkpoints to (the Blob store, or a watch of it).</param>
    public static async Task<CheckpointedWorker> StartAsync(
        TestEventHub hub,
        CheckpointStore processorStore,
        BlobCheckpointStore store,
        ICoPlaySink results,
        GeoDatabases geo,
        PipelineOptions options,
        string identifier)
    {
        var worker = new CheckpointedWorker(hub, processorStore, store, results, geo, options, identifier);
        await worker._pipeline.StartAsync(CancellationToken.None);
        await worker._pipeline.Stage.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return worker;
    }

    /// <summary>Stops the worker as a pod stop does: open windows stay unacknowledged, each partition's acknowledged position is checkpointed.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _pipeline.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _pipeline.Dispose();
    }

    private static StageSupervisor Supervisor(StageFailures failures)
    {
        var loops = new LoopHeartbeats(TimeProvider.System);
        var health = new ComponentHealth();
        var retry = new SinkRetry(Options.Create(new SinksOptions()), health, loops, TimeProvider.System, NullLogger<SinkRetry>.Instance);
        return new StageSupervisor(retry, loops, failures, health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
    }
}
