using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Bench;

/// <summary>
/// The macro benchmark of the in-process streaming core: UTF-8 messages in memory -> decode -> validate ->
/// filter -> geolocate (real GeoLite2 City) -> event-time windows -> co-plays, on one core per shard. Shards are
/// split by track, as the repartition stage splits them, so each shard is an independent core.
/// </summary>
internal static class CoreThroughput
{
    public static int Run(string[] args)
    {
        int plays = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4_000_000;
        int shards = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        Console.WriteLine($"generating {plays:N0} simulated plays over {plays / 50_000} s of event time ...");
        byte[][] messages = BenchData.Messages(plays, TimeSpan.FromSeconds(plays / 50_000));
        byte[][][] partitions = Partition(messages, shards);
        using CityDatabase cities = CityDatabase.Open(BenchData.CityDb);

        for (int round = 1; round <= 3; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            long[] coPlays = new long[shards];
            Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = shards }, s => coPlays[s] = RunShard(partitions[s], cities));
            stopwatch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {plays:N0} plays in {stopwatch.Elapsed.TotalSeconds:F2} s = {plays / stopwatch.Elapsed.TotalSeconds:N0} plays/s on {shards} core(s), {coPlays.Sum():N0} co-plays, {allocated / (double)plays:F0} bytes allocated per play"));
        }

        return 0;
    }

    private static long RunShard(byte[][] messages, CityDatabase cities)
    {
        var classifier = new PlayClassifier(cities, null, 250);
        var clock = new FixedClock(BenchData.Start.AddHours(1));
        var engine = new StreamingCoPlayEngine(new WindowAssigner(1000), 2000, 3000, 60_000, MatchingOptions.Default, clock);
        var emitted = new List<EmittedWindow>();
        long coPlays = 0;
        for (int i = 0; i < messages.Length; i++)
        {
            if (classifier.Classify(messages[i], out PlayFields fields, out GeoPoint? point) == IneligibleReason.None)
            {
                engine.Add(fields.TrackId, fields.EventId, fields.PlayedAtMs, point!);
            }

            if ((i & 0xFF) == 0)
            {
                engine.EmitReady(emitted);
                foreach (EmittedWindow window in emitted)
                {
                    coPlays += window.CoPlays.Count;
                }

                emitted.Clear();
            }
        }

        engine.FlushAll(emitted);
        return coPlays + emitted.Sum(w => w.CoPlays.Count);
    }

    /// <summary>Splits messages by track (FNV-1a of the track id bytes), keeping their order within a shard.</summary>
    private static byte[][][] Partition(byte[][] messages, int shards)
    {
        var lists = Enumerable.Range(0, shards).Select(_ => new List<byte[]>()).ToArray();
        var decoder = new PlayDecoder();
        foreach (byte[] message in messages)
        {
            decoder.Decode(message, out PlayFields fields);
            ulong h = 14695981039346656037UL;
            foreach (byte b in fields.TrackId)
            {
                h = (h ^ b) * 1099511628211UL;
            }

            lists[(int)(h % (ulong)shards)].Add(message);
        }

        return [.. lists.Select(l => l.ToArray())];
    }
}
