using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>The minutes a live results folder holds: minute files found under <c>dt=*/hour=*/</c>, temporary ones (<c>_…</c>) skipped.</summary>
internal static class LiveMinuteFiles
{
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
                foreach (string file in Directory.EnumerateFiles(hour, "coplays-*.parquet"))
                {
                    if (CoPlayMinuteFiles.MinuteOfFileName(Path.GetFileName(file)) is long minute && string.Equals(CoPlayMinuteFiles.PathOf(root, minute), file, StringComparison.Ordinal))
                    {
                        yield return minute;
                    }
                }
            }
        }
    }
}
