using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Output;

namespace ListeningTogether.Bench;

/// <summary>
/// The CPU cost of replay's result writing, stage by stage, on the co-plays of a replay's <c>coplays.jsonl</c>:
/// JSONL formatting, the Parquet file and the summary statistics, each timed over the whole file in process CPU time
/// (best of five rounds). Places are shared instances per place, as the City database hands them out.
/// Usage: <c>result-writing COPLAYS.jsonl</c>.
/// </summary>
internal static class ResultWritingCost
{
    private const int Rounds = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        List<CoPlay> coPlays = Read(args[1]);
        Console.WriteLine($"{coPlays.Count:N0} co-plays, {coPlays.Select(c => c.A).Concat(coPlays.Select(c => c.B)).Distinct().Count():N0} places");
        var jsonl = new ArrayBufferWriter<byte>(1 << 20);
        Time("jsonl", () =>
        {
            jsonl.ResetWrittenCount();
            foreach (CoPlay coPlay in coPlays)
            {
                CoPlayJsonl.Write(jsonl, coPlay);
            }
        });
        var places = new PlaceJsonCache();
        Time("jsonl, places cached", () =>
        {
            jsonl.ResetWrittenCount();
            foreach (CoPlay coPlay in coPlays)
            {
                CoPlayJsonl.Write(jsonl, coPlay, places);
            }
        });
        string parquet = Path.Combine(Path.GetTempPath(), $"lt-result-writing-{Guid.NewGuid():N}.parquet");
        try
        {
            await TimeAsync("parquet", async () =>
            {
                using var file = new FileStream(parquet, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(file, new Dictionary<string, string>(), CancellationToken.None);
                await using (writer)
                {
                    await writer.WriteAsync(coPlays, CancellationToken.None);
                    await writer.CompleteAsync(CancellationToken.None);
                }
            });
        }
        finally
        {
            File.Delete(parquet);
        }

        var statistics = new CoPlayStatistics();
        Time("statistics", () =>
        {
            statistics = new CoPlayStatistics();
            statistics.Add(coPlays);
        });
        Time("statistics' top lists", () =>
        {
            _ = statistics.TopCityPairs();
            _ = statistics.TopTracks();
        });
        return 0;
    }

    /// <summary>The file's co-plays, each place one instance (by all its fields).</summary>
    private static List<CoPlay> Read(string path)
    {
        var placeInstances = new Dictionary<Location, Location>();
        var coPlays = new List<CoPlay>();
        foreach (string line in File.ReadLines(path))
        {
            if (!CoPlayJsonlReader.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out CoPlay? coPlay, out string? error))
            {
                throw new InvalidDataException(error);
            }

            coPlays.Add(coPlay with { A = Shared(coPlay.A), B = Shared(coPlay.B) });
        }

        return coPlays;

        Location Shared(Location place) => placeInstances.TryGetValue(place, out Location? shared) ? shared : placeInstances[place] = place;
    }

    private static void Time(string stage, Action action) =>
        TimeAsync(stage, () =>
        {
            action();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    private static async Task TimeAsync(string stage, Func<Task> action)
    {
        double best = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            // CPU time rather than wall time: on a shared machine the wall clock measures the neighbours too.
            TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;
            await action();
            best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-24} {best,8:F0} ms"));
    }
}
