using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Health;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming.Health;

public sealed class HealthChecksTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task GivenALoopThatStoppedBeating_WhenLivenessIsChecked_ThenItIsUnhealthyNamingTheLoop()
    {
        var loops = new LoopHeartbeats(_clock);
        loops.Start("pipeline");
        LoopHeartbeat ingest = loops.Start("ingest");

        _clock.Advance(TimeSpan.FromSeconds(31));
        ingest.Beat();
        HealthCheckResult result = await new LivenessCheck(loops).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("pipeline has made no progress for 31 s", result.Description);
    }

    [Fact]
    public async Task GivenALoopWaitingForAQuietSourceOrOneThatEnded_WhenLivenessIsChecked_ThenItIsHealthy()
    {
        var loops = new LoopHeartbeats(_clock);
        loops.Start("ingest").Idle();
        loops.Start("pipeline").End();

        _clock.Advance(TimeSpan.FromMinutes(10));
        HealthCheckResult result = await new LivenessCheck(loops).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task GivenAnIdleLoopThatResumedAndStalled_WhenLivenessIsChecked_ThenItIsUnhealthy()
    {
        var loops = new LoopHeartbeats(_clock);
        LoopHeartbeat ingest = loops.Start("ingest");
        ingest.Idle();
        ingest.Beat();

        _clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(HealthStatus.Unhealthy, (await new LivenessCheck(loops).CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task GivenAFailingSink_WhenReadinessIsChecked_ThenItIsUnreadyNamingThePartUntilItRecovers()
    {
        var health = new ComponentHealth();
        health.Track(StreamingComponent.Archive);
        health.Track(StreamingComponent.ResultsJsonl);
        var check = new ReadinessCheck([new Reading()], health);

        health.Failed(StreamingComponent.Archive, "Archive:ParquetDir '/a': no space left on device");
        HealthCheckResult failing = await check.CheckHealthAsync(new HealthCheckContext());
        health.Recovered(StreamingComponent.Archive);
        HealthCheckResult recovered = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.Equal("not ready: archive: Archive:ParquetDir '/a': no space left on device", failing.Description);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal(1, health.Snapshot().Single(c => c.Component == StreamingComponent.Archive).Failures);
    }

    [Fact]
    public async Task GivenAStageNotReadingYet_WhenReadinessIsChecked_ThenItIsUnready()
    {
        var check = new ReadinessCheck([new Reading(), new Reading(isReading: false)], new ComponentHealth());

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task GivenASourceThatCannotBeRead_WhenItIsWatched_ThenReadinessNamesItUntilItCanAgain()
    {
        var health = new ComponentHealth();
        var statuses = new SourceStatuses();
        var sources = new ReadinessWatch(health, statuses);
        var source = new Source { Problem = "Pub/Sub subscription 'projects/p/subscriptions/s': Unavailable (connection refused)" };
        statuses.Add(source);
        var check = new ReadinessCheck([new Reading()], health);

        sources.Look();
        HealthCheckResult down = await check.CheckHealthAsync(new HealthCheckContext());
        source.Problem = null;
        sources.Look();
        HealthCheckResult up = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal("not ready: source: Pub/Sub subscription 'projects/p/subscriptions/s': Unavailable (connection refused)", down.Description);
        Assert.Equal(HealthStatus.Healthy, up.Status);
    }

    [Fact]
    public async Task GivenAStageThatStartsReadingASubscriptionNotCreatedYet_WhenReadinessIsCheckedAtOnce_ThenItIsUnreadyNamingIt()
    {
        HealthCheckResult result = await ReadinessRightAfterStartingToReadAsync(new Source { Problem = "Pub/Sub subscription 'projects/p/subscriptions/s': not read yet" });

        // Before the fix the source part was ready here until the watch looked, up to a quarter second later.
        Assert.Equal("not ready: source: Pub/Sub subscription 'projects/p/subscriptions/s': not read yet", result.Description);
    }

    [Fact]
    public async Task GivenAStageThatStartsReadingASourceThatCanBeRead_WhenReadinessIsCheckedAtOnce_ThenItIsReady()
    {
        HealthCheckResult result = await ReadinessRightAfterStartingToReadAsync(new Source());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    private async Task<HealthCheckResult> ReadinessRightAfterStartingToReadAsync(Source source)
    {
        var health = new ComponentHealth();
        health.NotReady(StreamingComponent.Source, "the stage has not started reading yet");
        var loops = new LoopHeartbeats(_clock);
        var retry = new SinkRetry(Options.Create(new SinksOptions()), health, loops, _clock, NullLogger<SinkRetry>.Instance);
        var supervisor = new StageSupervisor(retry, loops, new StageFailures(null), health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);

        supervisor.StartLoop("pipeline", source);
        return await new ReadinessCheck([new Reading()], health).CheckHealthAsync(new HealthCheckContext());
    }

    private sealed class Source : ListeningTogether.Abstractions.ISourceStatus, ListeningTogether.Abstractions.IPlaySource
    {
        public string? Problem { get; set; }

        public IAsyncEnumerable<ListeningTogether.Abstractions.IReceivedMessage> ReadAllAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException("Only its status is read.");
    }

    private sealed class Reading(bool isReading = true) : IStageStatus
    {
        public bool IsReading => isReading;
    }
}
