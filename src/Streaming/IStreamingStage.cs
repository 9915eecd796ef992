namespace ListeningTogether.Streaming;

/// <summary>
/// A stage's loop (the single-process pipeline, ingest, match or site): reads its source until the source ends or
/// <c>stoppingToken</c> stops it. A failure is reported to the stage's <see cref="Health.StageSupervisor"/>, which
/// ends the process with it, rather than thrown; the host runs each stage as one background service.
/// </summary>
public interface IStreamingStage : IStageStatus
{
    Task RunAsync(CancellationToken stoppingToken);
}
