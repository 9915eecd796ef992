using System.Diagnostics;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// Decodes every City database record in the background once the streaming host starts, so a long run holds its
/// final set of records from the first minutes rather than growing toward it for hours as new networks show up
/// (README "Memory over a long run"). Lookups go on meanwhile and decode what they meet first. A record the
/// database cannot decode ends the preload with a warning; lookups then meet it as they would have.
/// </summary>
internal sealed partial class CityRecordsPreload(GeoDatabases databases, ILogger<CityRecordsPreload> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var elapsed = Stopwatch.StartNew();
        try
        {
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

        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "City database: {Records} records decoded in {Seconds:F1} s")]
    private static partial void LogDecoded(ILogger logger, int records, double seconds);

    [LoggerMessage(2, LogLevel.Warning, "City database: decoding every record stopped: {Cause}")]
    private static partial void LogFailed(ILogger logger, string cause);
}
