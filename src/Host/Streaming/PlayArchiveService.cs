using ListeningTogether.Replay.Archive;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Runs the Parquet archive's flushes, rolls and conversions. Registered before the pipeline, so it stops after it:
/// the last plays are flushed and the last segment converted (or, if the shutdown timeout cuts that short, at the next start).
/// </summary>
internal sealed class PlayArchiveService(ParquetArchiveSink archive) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => archive.RunAsync(stoppingToken);
}
