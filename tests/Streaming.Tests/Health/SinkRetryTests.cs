using ListeningTogether.Abstractions.Options;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Streaming.Tests.Health;

public sealed class SinkRetryTests
{
    private static readonly SinkTarget Target = new(StreamingComponent.ResultsJsonl, "Results:Jsonl", "out/r.jsonl");

    private readonly FakeTimeProvider _clock = new();
    private readonly ComponentHealth _health = new();
    private readonly SinkRetry _retry;

    public SinkRetryTests()
    {
        _health.Track(Target.Component);
        _retry = new SinkRetry(Options.Create(new SinksOptions { MaxOutageSeconds = 30 }), _health, new LoopHeartbeats(_clock), _clock, NullLogger<SinkRetry>.Instance);
    }

    [Fact]
    public async Task GivenAWriteThatFailsTwiceWithNoSpace_WhenRetried_ThenItIsWrittenOnceMoreAndThePartIsReadyAgain()
    {
        var write = new ScriptedWrite(NoSpace(), NoSpace());

        await RunAdvancingAsync(write);

        Assert.Equal(3, write.Attempts);
        ComponentStatus status = Assert.Single(_health.Snapshot());
        Assert.True(status.IsReady);
        Assert.Equal(2, status.Failures);
    }

    [Fact]
    public async Task GivenAFailingWrite_WhileItIsRetried_ThenThePartIsNotReadyAndNamedWithItsCause()
    {
        var write = new ScriptedWrite(NoSpace());
        var gate = new TaskCompletionSource();
        write.BeforeSecondAttempt = gate.Task;

        ValueTask running = _retry.RunAsync(Target, static (w, ct) => w.WriteAsync(ct), write, CancellationToken.None);
        while (_health.Snapshot()[0].IsReady)
        {
            await Task.Yield();
        }

        Assert.Equal("Results:Jsonl 'out/r.jsonl': no space left on device", _health.Snapshot()[0].Problem);
        gate.SetResult();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await running;
        Assert.True(_health.Snapshot()[0].IsReady);
    }

    [Fact]
    public async Task GivenPermissionDenied_WhenWritten_ThenItFailsAtOnceNamingTheTargetAndTheCause()
    {
        var write = new ScriptedWrite(new UnauthorizedAccessException("Access to the path is denied."));

        SinkOutageException failure = await Assert.ThrowsAsync<SinkOutageException>(() => RunAdvancingAsync(write));

        Assert.Equal(1, write.Attempts);
        Assert.Equal("Results:Jsonl 'out/r.jsonl': permission denied", failure.Message);
    }

    [Fact]
    public async Task GivenAReadOnlyFileSystem_WhenWritten_ThenItFailsAtOnce()
    {
        var write = new ScriptedWrite(new IOException("Read-only file system", 30));

        SinkOutageException failure = await Assert.ThrowsAsync<SinkOutageException>(() => RunAdvancingAsync(write));

        Assert.Equal(1, write.Attempts);
        Assert.EndsWith("read-only file system", failure.Message);
    }

    [Fact]
    public async Task GivenNoSpaceThatLasts_WhenRetried_ThenItGivesUpAfterMaxOutageSeconds()
    {
        var write = new ScriptedWrite([.. Enumerable.Range(0, 1000).Select(_ => NoSpace())]);
        DateTimeOffset started = _clock.GetUtcNow();

        SinkOutageException failure = await Assert.ThrowsAsync<SinkOutageException>(() => RunAdvancingAsync(write));

        TimeSpan outage = _clock.GetUtcNow() - started;
        Assert.InRange(outage, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(33));
        Assert.Equal("Results:Jsonl 'out/r.jsonl': no space left on device for longer than Sinks:MaxOutageSeconds (30 s)", failure.Message);
        Assert.InRange(write.Attempts, 10, 40);
    }

    [Fact]
    public async Task GivenCancellation_WhileWaitingToRetry_ThenItStopsWithoutCountingItAsAnOutage()
    {
        var write = new ScriptedWrite(NoSpace(), NoSpace());
        using var stopping = new CancellationTokenSource();

        ValueTask running = _retry.RunAsync(Target, static (w, ct) => w.WriteAsync(ct), write, stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await running);
    }

    private static IOException NoSpace() => new("No space left on device : 'out/r.jsonl'", 28);

    /// <summary>Runs the retry while moving the fake clock on, as the real one would while it waits.</summary>
    private async Task RunAdvancingAsync(ScriptedWrite write)
    {
        Task running = _retry.RunAsync(Target, static (w, ct) => w.WriteAsync(ct), write, CancellationToken.None).AsTask();
        while (!running.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }

        await running;
    }

    /// <summary>A write that throws the given failures in turn, then succeeds.</summary>
    private sealed class ScriptedWrite(params Exception[] failures)
    {
        public int Attempts { get; private set; }

        public Task? BeforeSecondAttempt { get; set; }

        public async ValueTask WriteAsync(CancellationToken cancellationToken)
        {
            Attempts++;
            if (Attempts == 2 && BeforeSecondAttempt is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            if (Attempts <= failures.Length)
            {
                throw failures[Attempts - 1];
            }
        }
    }
}
