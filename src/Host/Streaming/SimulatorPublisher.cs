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
        byte[] buffer = new byte[PlayJson.MaxLength];
        try
        {
            await foreach (SimulatedPlay play in simulator.LiveAsync(options.Value.PlaysPerSecond, clock, cancellationToken: stoppingToken).ConfigureAwait(false))
            {
                int length = PlayJson.Write(play, buffer);
                await publisher.PublishAsync(buffer.AsMemory(0, length), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
