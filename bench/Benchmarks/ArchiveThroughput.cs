using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Replay.Archive;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Bench;

/// <summary>
/// The streaming archive on this machine's disk: decoded plays appended on one thread as the pipeline appends them
/// (the hot-path cost, decoding excluded), the time until all are durable, and the conversion of the segment into
/// hour-partitioned Parquet. Usage: <c>archive [plays]</c>.
/// </summary>
internal static class ArchiveThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000_000;
        Console.WriteLine($"generating {count:N0} simulated plays over one hour of event time ...");
        Decoded[] decoded = Decode(BenchData.Messages(count, TimeSpan.FromHours(1)));
        string root = Path.Combine(Path.GetTempPath(), "lt-archive-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            for (int round = 1; round <= 5; round++)
            {
                await RoundAsync(round, decoded, Path.Combine(root, round.ToString(CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>The plays with a valid playedAt, decoded beforehand so that only appending is timed.</summary>
    private static Decoded[] Decode(byte[][] messages)
    {
        var decoder = new PlayDecoder();
        var plays = new List<Decoded>(messages.Length);
        foreach (byte[] message in messages)
        {
            decoder.Decode(message, out PlayFields fields);
            if (fields.HasPlayedAt)
            {
                plays.Add(new Decoded(fields.EventId.ToArray(), fields.TrackId.ToArray(), fields.Ip.ToArray(), fields.PlayedAtMs, fields.PrivateSession));
            }
        }

        return [.. plays];
    }

    private static async Task RoundAsync(int round, Decoded[] plays, string root)
    {
        var sink = new ParquetArchiveSink(new ArchiveOptions { ParquetDir = root, RollSeconds = 86_400 }, TimeProvider.System, NullLogger<ParquetArchiveSink>.Instance);
        using var stop = new CancellationTokenSource();
        Task running = sink.RunAsync(stop.Token);
        long receivedAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        long appended = 0;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        var appending = Stopwatch.StartNew();
        foreach (Decoded play in plays)
        {
            sink.Append(new ArchivedPlay(play.EventId, play.TrackId, play.Ip, play.PlayedAtMs, play.PrivateSession, receivedAt));
            appended++;
        }

        appending.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await sink.WaitDurableAsync(sink.Position, CancellationToken.None);
        TimeSpan durable = total.Elapsed;
        long segmentBytes = Directory.EnumerateFiles(Path.Combine(root, "_segments")).Sum(f => new FileInfo(f).Length);
        var converting = Stopwatch.StartNew();
        await stop.CancelAsync();
        await running;
        converting.Stop();
        long parquetBytes = Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: append {appended:N0} plays {appending.Elapsed.TotalNanoseconds / appended:F0} ns a play ({allocated / (double)appended:F1} bytes allocated a play), all durable after {durable.TotalSeconds:F2} s; segment {segmentBytes / (double)appended:F0} bytes a play; conversion to Parquet {appended / converting.Elapsed.TotalSeconds:N0} plays/s ({converting.Elapsed.TotalSeconds:F2} s, {parquetBytes / (double)appended:F1} bytes a play)"));
    }

    private sealed record Decoded(byte[] EventId, byte[] TrackId, byte[] Ip, long PlayedAtMs, bool PrivateSession);
}
