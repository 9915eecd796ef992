using ListeningTogether.Host.Web.Playback;
using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Deletes the live results' minute files older than <c>Results:RetentionHours</c>, at the start and then every
/// <see cref="SweepInterval"/>, logging once per sweep what it removed. Only minute files in their place are touched,
/// and the day and hour folders they leave empty.
/// </summary>
internal sealed partial class ResultsRetention(string root, TimeSpan retention, TimeProvider clock, ILogger<ResultsRetention> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    /// <summary>Deletes the minute files whose minute ended more than the retention ago; returns how many.</summary>
    public int Sweep()
    {
        long cutoff = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
        int deleted = 0;
        foreach (long minute in LiveMinuteFiles.Minutes(root).ToList())
        {
            if (minute + CoPlayMinuteFiles.MinuteMs > cutoff)
            {
                continue;
            }

            try
            {
                File.Delete(CoPlayMinuteFiles.PathOf(root, minute));
                deleted++;
            }
            catch (IOException e)
            {
                LogNotDeleted(minute, e.Message);
            }
        }

        if (deleted > 0)
        {
            DeleteEmptyFolders();
        }

        LogSwept(deleted, retention.TotalHours);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, clock);
        do
        {
            try
            {
                Sweep();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogSweepFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void DeleteEmptyFolders()
    {
        foreach (string day in Directory.EnumerateDirectories(root, "dt=*").ToList())
        {
            foreach (string hour in Directory.EnumerateDirectories(day, "hour=*").ToList())
            {
                if (!Directory.EnumerateFileSystemEntries(hour).Any())
                {
                    Directory.Delete(hour);
                }
            }

            if (!Directory.EnumerateFileSystemEntries(day).Any())
            {
                Directory.Delete(day);
            }
        }
    }

    [LoggerMessage(541, LogLevel.Information, "Results retention: deleted {Count} minute files older than {Hours} hours")]
    private partial void LogSwept(int count, double hours);

    [LoggerMessage(542, LogLevel.Warning, "Results retention: could not delete the minute file of {Minute}: {Reason}")]
    private partial void LogNotDeleted(long minute, string reason);

    [LoggerMessage(543, LogLevel.Warning, "Results retention: the sweep failed: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
