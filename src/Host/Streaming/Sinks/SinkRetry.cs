using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Health;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming.Sinks;

/// <summary>
/// Rides out a failing streaming write (DESIGN.md "Failure, exit codes and readiness"): retried with capped backoff
/// while its cause may pass, for at most <c>Sinks:MaxOutageSeconds</c>. Meanwhile the caller's loop waits (it
/// reads nothing and acknowledges nothing past the failure), the part is not ready and every failure is counted.
/// A cause that cannot pass, or an outage that lasts too long, ends in a <see cref="SinkOutageException"/>.
/// </summary>
internal sealed partial class SinkRetry(
    IOptions<SinksOptions> options,
    ComponentHealth health,
    LoopHeartbeats loops,
    TimeProvider clock,
    ILogger<SinkRetry> logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _maxOutage = TimeSpan.FromSeconds(options.Value.MaxOutageSeconds);

    /// <summary>Runs <paramref name="write"/> until it succeeds, retrying it as this policy says.</summary>
    public async ValueTask RunAsync<TState>(SinkTarget target, Func<TState, CancellationToken, ValueTask> write, TState state, CancellationToken cancellationToken)
    {
        long? failingSince = null;
        TimeSpan delay = FirstDelay;
        while (true)
        {
            try
            {
                await write(state, cancellationToken).ConfigureAwait(false);
                if (failingSince is long since)
                {
                    health.Recovered(target.Component);
                    LogRecovered(logger, target.ToString(), clock.GetElapsedTime(since).TotalSeconds);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                string cause = WriteFailure.Describe(e);
                health.Failed(target.Component, $"{target}: {cause}");
                LogFailureDetail(logger, target.ToString(), e);
                failingSince ??= clock.GetTimestamp();
                TimeSpan outage = clock.GetElapsedTime(failingSince.Value);
                if (WriteFailure.CannotPass(e))
                {
                    throw new SinkOutageException(target, cause, e);
                }

                if (outage >= _maxOutage)
                {
                    throw new SinkOutageException(target, $"{cause} for longer than Sinks:MaxOutageSeconds ({_maxOutage.TotalSeconds:0} s)", e);
                }

                if (delay == FirstDelay)
                {
                    LogRetrying(logger, target.ToString(), cause, _maxOutage.TotalSeconds);
                }

                // Waiting out an outage is progress: the process is alive and will end by itself if it lasts.
                loops.BeatAll();
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Target}: {Cause}; retrying for up to {MaxOutageSeconds} s, reading nothing meanwhile")]
    private static partial void LogRetrying(ILogger logger, string target, string cause, double maxOutageSeconds);

    [LoggerMessage(2, LogLevel.Information, "{Target}: writing again after {Seconds:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string target, double seconds);

    [LoggerMessage(3, LogLevel.Debug, "{Target}: a write failed")]
    private static partial void LogFailureDetail(ILogger logger, string target, Exception exception);
}
