using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming.Health;

/// <summary>
/// A results sink that cannot write ends the pipeline with its own failure (not an error of the stream it was
/// reading), and nothing of the window it could not write is acknowledged.
/// </summary>
public sealed class FailingSinkPipelineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });

    public void Dispose() => _geo.Dispose();

    [Fact]
    public async Task GivenASinkWhoseDiskIsReadOnly_WhenAWindowIsEmitted_ThenThePipelineStopsWithThatFailureAndAcknowledgesNothingOfIt()
    {
        TimeProvider clock = TimeProvider.System;
        var transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 100 }, clock);
        var failures = new StageFailures(null);
        var loops = new LoopHeartbeats(clock);
        var health = new ComponentHealth();
        var retry = new SinkRetry(Options.Create(new SinksOptions()), health, loops, clock, NullLogger<SinkRetry>.Instance);
        var supervisor = new StageSupervisor(retry, loops, failures, health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
        var sink = new RetryingCoPlaySink(new ReadOnlyDiskSink(), new SinkTarget(StreamingComponent.ResultsJsonl, "Results:Jsonl", "/ro/r.jsonl"), retry);
        var options = new PipelineOptions { IdleFlushMs = 200 };
        using var pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            transport,
            new RawPlayReader(_geo.Cities, _geo.AnonymousIps, Options.Create(options)),
            Options.Create(options),
            [sink],
            [],
            new PipelineCounters(),
            clock,
            NullLogger<StreamingPipeline>.Instance,
            supervisor: supervisor));
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        await pipeline.StartAsync(CancellationToken.None);
        await transport.PublishAsync(Play("a", "spotify:track:t", LondonIp, now), CancellationToken.None);
        await transport.PublishAsync(Play("b", "spotify:track:t", LinkopingIp, now), CancellationToken.None);
        await pipeline.ExecuteTask!.WaitAsync(Patience);

        StageFailure failure = Assert.IsType<StageFailure>(failures.First);
        Assert.Equal("Results:Jsonl '/ro/r.jsonl': read-only file system", failure.Description);
        Assert.IsType<SinkOutageException>(failure.Failure);
        Assert.Equal(0, transport.Acked);
        await pipeline.StopAsync(CancellationToken.None);
    }

    private sealed class ReadOnlyDiskSink : ICoPlaySink
    {
        public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken) =>
            throw new IOException("Read-only file system : '/ro/r.jsonl'", 30);
    }
}
