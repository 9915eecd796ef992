using System.Globalization;
using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>The minutes a live results folder holds: minute files found under <c>dt=*/hour=*/</c>, temporary ones (<c>_…</c>) skipped.</summary>
internal static class LiveMinuteFiles
{
    private const string Prefix = "coplays-";
    private const string Suffix = ".parquet";

    /// <summary>Every minute with a file in its place; a file whose name does not parse, or that lies elsewhere, is ignored.</summary>
    public static IEnumerable<long> Minutes(string root)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (string day in Directory.EnumerateDirectories(root, "dt=*"))
        {
            foreach (string hour in Directory.EnumerateDirectories(day, "hour=*"))
            {
                foreach (string file in Directory.EnumerateFiles(hour, Prefix + "*" + Suffix))
                {
                    if (MinuteOf(Path.GetFileName(file)) is long minute && string.Equals(CoPlayMinuteFiles.PathOf(root, minute), file, StringComparison.Ordinal))
                    {
                        yield return minute;
                    }
                }
            }
        }
    }

    /// <summary>The minute (epoch ms) of a name <c>coplays-YYYYMMDDTHHMM.parquet</c>.</summary>
    public static long? MinuteOf(string fileName) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.EndsWith(Suffix, StringComparison.Ordinal)
        && DateTime.TryParseExact(fileName[Prefix.Length..^Suffix.Length], "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime minute)
            ? (long)(minute - DateTime.UnixEpoch).TotalMilliseconds
            : null;
}
