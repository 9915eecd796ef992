using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Streaming;

/// <summary>Logs the pipeline's totals every ten seconds: records, eligible plays, co-plays and the top reasons.</summary>
internal sealed partial class StatusReporter(PipelineCounters counters, TimeProvider clock, ILogger<StatusReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                string reasons = string.Join(", ", IneligibleReasons.All
                    .Where(r => counters[r] > 0)
                    .Select(r => $"{r.Code()} {counters[r]}"));
                LogStatus(logger, counters.Records, counters.Eligible, counters.Windows, counters.CoPlays, reasons);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(431, LogLevel.Information, "{Records} records, {Eligible} eligible, {Windows} windows, {CoPlays} co-plays; ineligible: {Reasons}")]
    private static partial void LogStatus(ILogger logger, long records, long eligible, long windows, long coPlays, string reasons);
}
