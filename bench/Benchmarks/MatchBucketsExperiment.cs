using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Bench;

/// <summary>
/// Replay's matching alone, on one thread: the eligible plays of a JSONL file are spilled into half-minute buckets
/// in memory once, then every bucket is matched each round, as replay's second pass does (without writing results).
/// Usage: <c>match-buckets PLAYS.jsonl [PLAYS] [ROUNDS]</c> (default the first 2,000,000 plays, 5 rounds).
/// </summary>
internal static class MatchBucketsExperiment
{
    private const long BucketMs = 30_000;

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: match-buckets PLAYS.jsonl [PLAYS] [ROUNDS]");
            return 2;
        }

        int limit = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000_000;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        using CityDatabase cities = CityDatabase.Open(BenchData.CityDb);
        SortedDictionary<long, MemoryStream> buckets = Spill(args[1], limit, cities, out long plays);
        var matcher = new SpillBucketMatcher(new WindowAssigner(1000), BucketMs, MatchingOptions.Default, cities);
        for (int round = 0; round < rounds; round++)
        {
            long coPlays = 0;
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var (bucket, records) in buckets)
            {
                records.GetBuffer().AsSpan(0, (int)records.Length).CopyTo(matcher.RecordBuffer((int)records.Length));
                coPlays += matcher.Match(bucket * BucketMs, (int)records.Length, []).CoPlays.Count;
            }

            double seconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{plays} plays in {buckets.Count} buckets, {coPlays} co-plays: {seconds * 1e9 / plays:F0} ns a play ({cpuSeconds * 1e9 / plays:F0} ns CPU)"));
        }

        return 0;
    }

    private static SortedDictionary<long, MemoryStream> Spill(string path, int limit, CityDatabase cities, out long plays)
    {
        var classifier = new PlayClassifier(cities, null, 250);
        var buckets = new SortedDictionary<long, MemoryStream>();
        byte[] record = new byte[1024];
        plays = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (plays == limit)
            {
                break;
            }

            IneligibleReason reason = classifier.Classify(System.Text.Encoding.UTF8.GetBytes(line), out PlayFields fields, out GeoPoint? point);
            if (reason != IneligibleReason.None)
            {
                continue;
            }

            long bucket = Math.DivRem(fields.PlayedAtMs, BucketMs, out long rem) - (rem < 0 ? 1 : 0);
            if (!buckets.TryGetValue(bucket, out MemoryStream? stream))
            {
                buckets.Add(bucket, stream = new MemoryStream());
            }

            stream.Write(record, 0, SpillRecord.Write(record, fields.PlayedAtMs, point!.PlaceId, fields.TrackId, fields.EventId));
            plays++;
        }

        return buckets;
    }
}
