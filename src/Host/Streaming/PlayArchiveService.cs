using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Health;
using ListeningTogether.Host.Streaming.Sinks;
using ListeningTogether.Replay.Archive;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Runs the Parquet archive's flushes, rolls and conversions. Registered before the pipeline, so it stops after it:
/// the last plays are flushed and the last segment converted (or, if the shutdown timeout cuts that short, at the
/// next start). Watches the archive's writes as <see cref="SinkRetry"/> watches a sink's: while they fail the
/// archive is not ready (the stages stop reading meanwhile), and a failure that cannot pass or lasts longer than
/// <c>Sinks:MaxOutageSeconds</c> ends the process.
/// </summary>
internal sealed partial class PlayArchiveService(
    ParquetArchiveSink archive,
    ComponentHealth health,
    StageSupervisor supervisor,
    IOptions<SinksOptions> sinks,
    TimeProvider clock,
    ILogger<PlayArchiveService> logger) : BackgroundService
{
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(200);

    private readonly SinkTarget _target = new(StreamingComponent.Archive, "Archive:ParquetDir", archive.Root);
    private readonly TimeSpan _maxOutage = TimeSpan.FromSeconds(sinks.Value.MaxOutageSeconds);

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
        long? failingSince = null;
        long failures = 0;
        using var timer = new PeriodicTimer(Watch, clock);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            long failed = archive.Failures - failures;
            failures += failed;
            if (archive.WriteFailure is not { } failure)
            {
                if (failed > 0)
                {
                    // A conversion failed: its plays are safe in the segment, which is converted again later.
                    health.CountFailures(StreamingComponent.Archive, failed);
                }

                if (failingSince is long since)
                {
                    health.Recovered(StreamingComponent.Archive);
                    LogRecovered(logger, _target.ToString(), clock.GetElapsedTime(since).TotalSeconds);
                    failingSince = null;
                }

                continue;
            }

            string cause = WriteFailure.Describe(failure);
            health.Failed(StreamingComponent.Archive, $"{_target}: {cause}", failed);
            if (failingSince is null)
            {
                failingSince = clock.GetTimestamp();
                LogFailing(logger, _target.ToString(), cause, _maxOutage.TotalSeconds);
            }

            TimeSpan outage = clock.GetElapsedTime(failingSince.Value);
            if (WriteFailure.CannotPass(failure) || outage >= _maxOutage)
            {
                string detail = WriteFailure.CannotPass(failure) ? cause : $"{cause} for longer than Sinks:MaxOutageSeconds ({_maxOutage.TotalSeconds:0} s)";
                supervisor.Fail("The archive", new SinkOutageException(_target, detail, failure));
                health.Failed(StreamingComponent.Archive, $"{_target}: {detail}", 0);
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Target}: {Cause}; retrying for up to {MaxOutageSeconds} s, reading nothing meanwhile")]
    private static partial void LogFailing(ILogger logger, string target, string cause, double maxOutageSeconds);

    [LoggerMessage(2, LogLevel.Information, "{Target}: writing again after {Seconds:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string target, double seconds);
}
