using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Runs a stage's loop (<see cref="IStreamingStage"/>) as one of the host's background services: it starts with the
/// host, and stopping the host cancels its token. The loop reports its own failures, which stop the host.
/// </summary>
internal sealed class StageService<TStage>(TStage stage) : BackgroundService
    where TStage : IStreamingStage
{
    public TStage Stage => stage;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => stage.RunAsync(stoppingToken);
}
