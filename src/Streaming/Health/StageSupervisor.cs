using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Streaming.Health;

/// <summary>
/// What a stage's loop needs to tell the truth about itself: a heartbeat for <c>/healthz</c>, retried dead-letter
/// writes, and a way to end the process with its failure (exit code 1).
/// </summary>
public sealed partial class StageSupervisor(
    SinkRetry retry,
    LoopHeartbeats loops,
    StageFailures failures,
    ComponentHealth health,
    SourceStatuses sources,
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
        return new StageSupervisor(retry, loops, new StageFailures(null), health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
    }

    /// <summary>
    /// A stage's loop starts reading <paramref name="source"/>: its heartbeat, and the source counts as read from
    /// now on, as long as it says it can be read (<see cref="ISourceStatus"/>, kept in <see cref="SourceStatuses"/>).
    /// </summary>
    public LoopHeartbeat StartLoop(string name, IPlaySource source)
    {
        LoopHeartbeat heartbeat = loops.Start(name);
        if (source is ISourceStatus status)
        {
            sources.Add(status);
        }

        // Ready only if every source can be read now, not until the watch looks a quarter second later: a subscription
        // still being created cannot, and a 200 before it exists lets a caller publish plays that no subscription keeps.
        health.Report(StreamingComponent.Source, sources.FirstProblem());
        return heartbeat;
    }

    /// <summary>
    /// Runs the loop named <paramref name="loop"/> over <paramref name="source"/> with its heartbeat (see
    /// <see cref="StartLoop"/>). Stopping ends it quietly: what it did not acknowledge comes back from the transport.
    /// Any other failure ends the process, named by <paramref name="stage"/> (<see cref="Fail"/>).
    /// </summary>
    public async Task RunLoopAsync(string loop, IPlaySource source, string stage, Func<LoopHeartbeat, CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        LoopHeartbeat heartbeat = StartLoop(loop, source);
        try
        {
            await run(heartbeat, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            Fail(stage, e);
        }
        finally
        {
            heartbeat.End();
        }
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
