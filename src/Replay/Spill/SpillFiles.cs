using System.Globalization;

namespace ListeningTogether.Replay.Spill;

/// <summary>Names of the spill files: one per (time bucket, worker).</summary>
internal static class SpillFiles
{
    public static string PathFor(string directory, long bucket, int worker) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"b{bucket}-w{worker}.spill"));

    public static IEnumerable<string> ForBucket(string directory, long bucket, int workers) =>
        Enumerable.Range(0, workers).Select(w => PathFor(directory, bucket, w)).Where(File.Exists);
}
