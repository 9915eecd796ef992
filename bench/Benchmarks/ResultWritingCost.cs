using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Bench;

/// <summary>
/// The CPU cost of replay's result writing, stage by stage, on the co-plays of a replay's <c>coplays.jsonl</c>:
/// JSONL formatting, the Parquet file and the summary statistics, each timed over the whole file in process CPU time
/// (best of ten rounds). Places are shared instances per place with dense place ids, as the City database hands them
/// out; replay writes JSONL and Parquet by place id, merge and the streaming sinks by value.
/// Usage: <c>result-writing COPLAYS.jsonl</c>.
/// </summary>
internal static class ResultWritingCost
{
    private const int Rounds = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        (List<CoPlay> coPlays, List<CoPlayPlaces> placeIds) = Read(args[1]);
        Console.WriteLine($"{coPlays.Count:N0} co-plays, {coPlays.Select(c => c.A).Concat(coPlays.Select(c => c.B)).Distinct().Count():N0} places");
        var jsonl = new ArrayBufferWriter<byte>(1 << 20);
        var places = new PlaceJsonCache();
        var statistics = new CoPlayStatistics();
        string parquet = Path.Combine(Path.GetTempPath(), $"lt-result-writing-{Guid.NewGuid():N}.parquet");
        (string Stage, Func<Task> Run)[] stages =
        [
            ("jsonl", () =>
            {
                jsonl.ResetWrittenCount();
                foreach (CoPlay coPlay in coPlays)
                {
                    CoPlayJsonl.Write(jsonl, coPlay);
                }

                return Task.CompletedTask;
            }),
            ("jsonl, places cached", () =>
            {
                jsonl.ResetWrittenCount();
                foreach (CoPlay coPlay in coPlays)
                {
                    CoPlayJsonl.Write(jsonl, coPlay, places);
                }

                return Task.CompletedTask;
            }),
            ("jsonl, places by id", () =>
            {
                jsonl.ResetWrittenCount();
                for (int i = 0; i < coPlays.Count; i++)
                {
                    CoPlayJsonl.Write(jsonl, coPlays[i], placeIds[i], places);
                }

                return Task.CompletedTask;
            }),
            ("parquet", () => WriteParquetAsync(parquet, coPlays, null)),
            ("parquet, places by id", () => WriteParquetAsync(parquet, coPlays, placeIds)),
            ("statistics", () =>
            {
                statistics = new CoPlayStatistics();
                statistics.Add(coPlays);
                return Task.CompletedTask;
            }),
            ("statistics' top lists", () =>
            {
                _ = statistics.TopCityPairs();
                _ = statistics.TopTracks();
                return Task.CompletedTask;
            }),
        ];
        double[] best = [.. stages.Select(_ => double.MaxValue)];
        try
        {
            // Rounds of every stage in turn, so that a busy spell on a shared machine weighs on all stages alike.
            for (int round = 0; round < Rounds; round++)
            {
                for (int s = 0; s < stages.Length; s++)
                {
                    // CPU time rather than wall time: on a shared machine the wall clock measures the neighbours too.
                    TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;
                    await stages[s].Run();
                    best[s] = Math.Min(best[s], (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds);
                }
            }
        }
        finally
        {
            File.Delete(parquet);
        }

        for (int s = 0; s < stages.Length; s++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stages[s].Stage,-24} {best[s],8:F0} ms"));
        }

        return 0;
    }

    private static async Task WriteParquetAsync(string path, List<CoPlay> coPlays, List<CoPlayPlaces>? placeIds)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(file, new Dictionary<string, string>(), CancellationToken.None);
        await using (writer)
        {
            await writer.WriteAsync(coPlays, placeIds, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }
    }

    /// <summary>The file's co-plays, each place one instance (by all its fields), and their places' ids (one per instance, in order of first sight).</summary>
    private static (List<CoPlay> CoPlays, List<CoPlayPlaces> PlaceIds) Read(string path)
    {
        var placeInstances = new Dictionary<Location, (Location Place, int Id)>();
        var coPlays = new List<CoPlay>();
        var placeIds = new List<CoPlayPlaces>();
        foreach (string line in File.ReadLines(path))
        {
            if (!CoPlayJsonlReader.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out CoPlay? coPlay, out string? error))
            {
                throw new InvalidDataException(error);
            }

            (Location a, int idA) = Shared(coPlay.A);
            (Location b, int idB) = Shared(coPlay.B);
            coPlays.Add(coPlay with { A = a, B = b });
            placeIds.Add(new CoPlayPlaces(idA, idB));
        }

        return (coPlays, placeIds);

        (Location Place, int Id) Shared(Location place) =>
            placeInstances.TryGetValue(place, out (Location Place, int Id) shared) ? shared : placeInstances[place] = (place, placeInstances.Count);
    }
}
