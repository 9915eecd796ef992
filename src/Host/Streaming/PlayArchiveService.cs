using ListeningTogether.Replay.Archive;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Runs the Parquet archive's flushes, rolls and conversions. Registered before the pipeline, so it stops after it:
/// the last plays are flushed and the last segment converted (or, if the shutdown timeout cuts that short, at the
/// next start). Watches the archive's writes as <see cref="SinkRetry"/> watches a sink's: while they fail the
/// archive is not ready (the stages stop reading meanwhile), and a failure that cannot pass or lasts longer than
/// <c>Sinks:MaxOutageSeconds</c> ends the process.
/// </summary>
internal sealed class PlayArchiveService(
    ParquetArchiveSink archive,
    ComponentHealth health,
    StageSupervisor supervisor,
    SinkRetry retry) : BackgroundService
{
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        health.Track(StreamingComponent.Archive);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task watch = WatchAsync(watching.Token);
        try
        {
            await archive.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        OutageWatch outage = retry.Watch(new SinkTarget(StreamingComponent.Archive, "Archive:ParquetDir", archive.Root));
        long failures = 0;
        using var timer = new PeriodicTimer(Watch);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            long failed = archive.Failures - failures;
            failures += failed;
            if (archive.WriteFailure is { } failure)
            {
                if (outage.Failed(failure, failed) is { } lasting)
                {
                    supervisor.Fail("The archive", lasting);
                    return;
                }
            }
            else
            {
                // A failed conversion leaves its plays safe in the segment, converted again later: counted, still ready.
                health.CountFailures(StreamingComponent.Archive, failed);
                outage.Succeeded();
            }
        }
    }
}
