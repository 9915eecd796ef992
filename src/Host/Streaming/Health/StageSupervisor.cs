using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Sinks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming.Health;

/// <summary>
/// What a stage's loop needs to tell the truth about itself: a heartbeat for <c>/healthz</c>, retried dead-letter
/// writes, and a way to end the process with its failure (exit code 1).
/// </summary>
internal sealed partial class StageSupervisor(
    SinkRetry retry,
    LoopHeartbeats loops,
    StageFailures failures,
    ComponentHealth health,
    ReadinessWatch sources,
    IOptions<DeadLetterOptions> deadLetters,
    ILogger<StageSupervisor> logger)
{
    private readonly SinkTarget _deadLetterTarget = new(StreamingComponent.DeadLetter, "DeadLetter:Path", deadLetters.Value.Path ?? "");

    /// <summary>A supervisor of its own, for a stage run outside a host (tests): failures are only recorded.</summary>
    public static StageSupervisor Standalone(TimeProvider clock)
    {
        var loops = new LoopHeartbeats(clock);
        var health = new ComponentHealth();
        var retry = new SinkRetry(Options.Create(new SinksOptions()), health, loops, clock, NullLogger<SinkRetry>.Instance);
        return new StageSupervisor(retry, loops, new StageFailures(null), health, new ReadinessWatch(health), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
    }

    /// <summary>
    /// A stage's loop starts reading <paramref name="source"/>: its heartbeat, and the source counts as read from
    /// now on, as long as it says it can be read (<see cref="ISourceStatus"/>, watched by <see cref="ReadinessWatch"/>).
    /// </summary>
    public LoopHeartbeat StartLoop(string name, IPlaySource source)
    {
        LoopHeartbeat heartbeat = loops.Start(name);
        if (source is ISourceStatus status)
        {
            sources.Add(status);
        }

        health.Recovered(StreamingComponent.Source);
        return heartbeat;
    }

    /// <summary>A watch of failed writes to <paramref name="target"/>, for a stage that retries them in its own way.</summary>
    public OutageWatch Watch(SinkTarget target) => retry.Watch(target);

    /// <summary>Runs <paramref name="write"/> until it succeeds, with the sinks' backoff and outage limit (<see cref="SinkRetry"/>).</summary>
    public ValueTask RetryAsync<TState>(SinkTarget target, Func<TState, CancellationToken, ValueTask> write, TState state, CancellationToken cancellationToken) =>
        retry.RunAsync(target, write, state, cancellationToken);

    public ValueTask WriteDeadLetterAsync(IDeadLetterSink sink, DeadLetter deadLetter, CancellationToken cancellationToken) =>
        retry.RunAsync(
            _deadLetterTarget,
            static (s, _) =>
            {
                s.Sink.Write(s.DeadLetter);
                return ValueTask.CompletedTask;
            },
            (Sink: sink, DeadLetter: deadLetter),
            cancellationToken);

    /// <summary>The stage named <paramref name="stage"/> cannot go on: logged in one line, and the process stops with it.</summary>
    public void Fail(string stage, Exception failure)
    {
        // A failed write names its setting and target; anything else is named by the stage and its type.
        string description = failure is SinkOutageException ? failure.Message : $"{stage} stopped: {failure.GetType().Name}: {failure.Message}";
        LogFailed(logger, description);
        LogFailureDetail(logger, stage, failure);
        failures.Fail(description, failure);
    }

    [LoggerMessage(451, LogLevel.Error, "{Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);

    [LoggerMessage(452, LogLevel.Debug, "{Stage} stopped")]
    private static partial void LogFailureDetail(ILogger logger, string stage, Exception exception);
}
