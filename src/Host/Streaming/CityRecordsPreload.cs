using System.Diagnostics;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Decodes every City database record in the background, <see cref="StartAfter"/> after the streaming host starts,
/// so a long run holds its final set of records from the first minutes rather than growing toward it for hours as
/// new networks show up (README "Memory over a long run"). It waits so as not to take a core from the first
/// seconds, when viewers wait for the first co-plays. Lookups go on meanwhile and decode what they meet first. A
/// record the database cannot decode ends the preload with a warning; lookups then meet it as they would have.
/// </summary>
internal sealed partial class CityRecordsPreload(GeoDatabases databases, TimeProvider clock, ILogger<CityRecordsPreload> logger) : BackgroundService
{
    public static readonly TimeSpan StartAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(StartAfter, clock, stoppingToken).ConfigureAwait(false);
            var elapsed = Stopwatch.StartNew();
            int records = databases.Cities.DecodeAll(stoppingToken);
            LogDecoded(logger, records, elapsed.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (GeoDatabaseException e)
        {
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(471, LogLevel.Information, "City database: {Records} records decoded in {Seconds:F1} s")]
    private static partial void LogDecoded(ILogger logger, int records, double seconds);

    [LoggerMessage(472, LogLevel.Warning, "City database: decoding every record stopped: {Cause}")]
    private static partial void LogFailed(ILogger logger, string cause);
}
