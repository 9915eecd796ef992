using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Simulator;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>The built-in traffic: simulated plays with event time = now, published at Simulator:PlaysPerSecond.</summary>
internal sealed class SimulatorPublisher(PlaySimulator simulator, IPlayPublisher publisher, IOptions<SimulatorOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (SimulatedPlay play in simulator.LiveAsync(options.Value.PlaysPerSecond, clock, cancellationToken: stoppingToken).ConfigureAwait(false))
            {
                await publisher.PublishAsync(PlayJson.ToUtf8(play), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
