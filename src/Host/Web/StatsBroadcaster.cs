using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Web;

/// <summary>Once a second, pushes live counters and the "right now" tracks to every viewer.</summary>
internal sealed class StatsBroadcaster(
    ViewerBroadcast broadcast,
    PipelineCounters counters,
    RecentTrackCounts recentTracks,
    CoPlayViews views,
    ViewerConnections viewers,
    TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        long lastTime = clock.GetTimestamp();
        (long records, long eligible, long coPlays) last = (counters.Records, counters.Eligible, counters.CoPlays);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                double seconds = Math.Max(1e-3, clock.GetElapsedTime(lastTime).TotalSeconds);
                (long records, long eligible, long coPlays) now = (counters.Records, counters.Eligible, counters.CoPlays);
                lastTime = clock.GetTimestamp();
                var stats = new StatsView(
                    Math.Round((now.records - last.records) / seconds, 1),
                    Math.Round((now.eligible - last.eligible) / seconds, 1),
                    Math.Round((now.coPlays - last.coPlays) / seconds, 1),
                    viewers.Count,
                    [.. recentTracks.Top(10).Select(t => views.Top(t.TrackId, t.CoPlays))]);
                last = now;
                await broadcast.SendAsync(clients => clients.Stats(stats), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
