using System.Globalization;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Results as one match shard (shard 0 of 1) publishes them (DESIGN.md "One world view"): a watermark at the start of
/// its first window before anything else (<see cref="Start"/>), then each window's co-plays followed by a watermark
/// at the window's end with the counts of the windows of the last 10 s (<see cref="Of"/>). Pub/Sub keeps no order,
/// so a test publishes the first watermark on its own, a moment before the rest, as a live shard does.
/// </summary>
internal static class ShardResults
{
    private const long CountsHorizonMs = 10_000;

    public static string Start(string[] firstWindow) => Watermark(StartMs(firstWindow[0]), []);

    public static IEnumerable<string> Of(IEnumerable<string[]> windows)
    {
        var counts = new List<(long Start, int Count)>();
        foreach (string[] window in windows)
        {
            long start = StartMs(window[0]);
            foreach (string row in window)
            {
                yield return "{\"v\":1,\"shard\":0," + row[1..];
            }

            counts.Add((start, window.Length));
            counts.RemoveAll(c => c.Start < start + 1000 - CountsHorizonMs);
            yield return Watermark(start + 1000, counts);
        }
    }

    public static long StartMs(string row) =>
        DateTimeOffset.Parse(CoPlayRows.WindowStartOf(row), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static string Watermark(long ms, IEnumerable<(long Start, int Count)> counts) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"v\":1,\"watermark\":{ms},\"shard\":0,\"shards\":1,\"counts\":{{{string.Join(",", counts.Select(c => $"\"{c.Start}\":{c.Count}"))}}}}}");
}
