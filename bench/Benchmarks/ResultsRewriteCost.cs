using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Bench;

/// <summary>
/// The cost of the Results:ParquetDir sink, which rewrites its minute's file for every window: one minute of
/// one-second windows at a given co-play rate written as the pipeline writes them, each call timed (the file grows
/// from one window's rows to the whole minute's). Usage: <c>results [coPlaysPerSecond]</c>.
/// </summary>
internal static class ResultsRewriteCost
{
    private const long Minute = 1_795_701_600_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int perSecond = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 600;
        var random = new Random(1);
        CoPlay[][] windows = [.. Enumerable.Range(0, 60).Select(s => Window(random, Minute + (s * 1000L), perSecond))];
        string root = Path.Combine(Path.GetTempPath(), "lt-results-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            for (int round = 1; round <= 3; round++)
            {
                await RoundAsync(round, windows, Path.Combine(root, round.ToString(CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static async Task RoundAsync(int round, CoPlay[][] windows, string root)
    {
        using var sink = new ParquetCoPlaySink(root, new Dictionary<string, string> { ["windowMs"] = "1000" }, NullLogger<ParquetCoPlaySink>.Instance);
        var each = new double[windows.Length];
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < windows.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await sink.WriteAsync(windows[i], CancellationToken.None);
            each[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        string file = Directory.GetFiles(root, "*.parquet", SearchOption.AllDirectories).Single();
        int rows = windows.Sum(w => w.Length);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"round {round}: {rows:N0} co-plays in 60 windows; rewrite of the first window {each[0]:F1} ms, of the full minute {each[^1]:F1} ms, "
            + $"mean {each.Average():F1} ms, total {total.Elapsed.TotalSeconds:F2} s ({total.Elapsed.TotalSeconds / 60 * 100:F1}% of the minute); "
            + $"{allocated / 1e6:F0} MB allocated; file {new FileInfo(file).Length / 1e6:F2} MB"));
    }

    private static CoPlay[] Window(Random random, long windowStartMs, int count)
    {
        var coPlays = new CoPlay[count];
        for (int i = 0; i < count; i++)
        {
            var a = new Location(random.Next(1, 5_000_000), "Osaka", "JP", (random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180);
            var b = new Location(a.GeonameId + random.Next(1, 1000), "Lima", "PE", (random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180);
            coPlays[i] = new CoPlay(windowStartMs, "spotify:track:" + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture), random.Next(2, 40), 2, a, b, random.NextDouble() * 20_000);
        }

        return coPlays;
    }
}
