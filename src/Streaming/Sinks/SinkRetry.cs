using ListeningTogether.Abstractions.Options;
using ListeningTogether.Streaming.Health;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Streaming.Sinks;

/// <summary>
/// Rides out a failing streaming write (DESIGN.md "Failure, exit codes and readiness"): retried with capped backoff
/// while its cause may pass, for at most <c>Sinks:MaxOutageSeconds</c> (<see cref="OutageWatch"/>). Meanwhile the
/// caller's loop waits: it reads nothing and acknowledges nothing past the failure.
/// </summary>
/// <param name="transportCannotPass">Which failures of the transports in use cannot pass (the host knows its transports).</param>
public sealed class SinkRetry(
    IOptions<SinksOptions> options,
    ComponentHealth health,
    LoopHeartbeats loops,
    TimeProvider clock,
    ILogger<SinkRetry> logger,
    Func<Exception, bool>? transportCannotPass = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _maxOutage = TimeSpan.FromSeconds(options.Value.MaxOutageSeconds);

    /// <summary>A watch of <paramref name="target"/>'s failures, for a part that retries in its own way.</summary>
    public OutageWatch Watch(SinkTarget target) => new(target, health, _maxOutage, clock, logger, transportCannotPass);

    /// <summary>Runs <paramref name="write"/> until it succeeds, retrying it as this policy says.</summary>
    public async ValueTask RunAsync<TState>(SinkTarget target, Func<TState, CancellationToken, ValueTask> write, TState state, CancellationToken cancellationToken)
    {
        OutageWatch? outage = null;
        TimeSpan delay = FirstDelay;
        while (true)
        {
            try
            {
                await write(state, cancellationToken).ConfigureAwait(false);
                outage?.Succeeded();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outage ??= Watch(target);
                if (outage.Failed(e) is { } lasting)
                {
                    throw lasting;
                }

                // Waiting out an outage is progress: the process is alive and will end by itself if it lasts.
                loops.BeatAll();
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
