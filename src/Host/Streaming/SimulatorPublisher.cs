using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Simulator;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// The built-in traffic: simulated plays with event time = now, published at Simulator:PlaysPerSecond. Publishing is
/// a streaming write (DESIGN.md "Failure, exit codes and readiness"): while the transport says its sends do not get
/// through, the simulator makes no plays, so an outage leaves no backlog of stale event times to flood the pipeline
/// with afterwards; the part is not ready meanwhile, and an outage longer than <c>Sinks:MaxOutageSeconds</c>, or a
/// failure that cannot pass, ends the process with its one-line cause.
/// </summary>
internal sealed class SimulatorPublisher(
    PlaySimulator simulator,
    IPlayPublisher publisher,
    IOptions<SimulatorOptions> options,
    TimeProvider clock,
    StageSupervisor supervisor,
    SinkTarget target) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        byte[] buffer = new byte[PlayJson.MaxLength];
        long madeAfterMs = long.MinValue;
        try
        {
            await foreach (SimulatedPlay play in simulator.LiveAsync(options.Value.PlaysPerSecond, clock, cancellationToken: stoppingToken).ConfigureAwait(false))
            {
                if (publisher is IPublisherStatus { Problem: not null } status)
                {
                    await supervisor.RetryAsync(target, ThrowWhileUnavailable, status, stoppingToken).ConfigureAwait(false);

                    // A play made now has an event time at most the simulator's client delay ago.
                    madeAfterMs = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)PlaySimulator.MaxDisorder.TotalMilliseconds;
                }

                if (play.PlayedAtMs < madeAfterMs)
                {
                    // Made before the outage ended (the rest of that tick): as stale as the backlog it was not.
                    continue;
                }

                int length = PlayJson.Write(play, buffer);
                await publisher.PublishAsync(buffer.AsMemory(0, length), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (SinkOutageException e)
        {
            supervisor.Fail("The simulator", e);
        }
        catch (Exception e)
        {
            // Publishing failed for good (say the topic is missing without CreateMissing): named by its setting.
            supervisor.Fail("The simulator", supervisor.Watch(target).Failed(e) ?? e);
        }
    }

    /// <summary>A "write" that fails while the transport says its sends do not get through, so the sinks' retry waits it out making no plays.</summary>
    private static ValueTask ThrowWhileUnavailable(IPublisherStatus status, CancellationToken cancellationToken) =>
        status.Problem is { } problem ? throw new TransportUnavailableException(problem) : ValueTask.CompletedTask;
}
