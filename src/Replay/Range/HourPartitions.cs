using System.Globalization;

namespace ListeningTogether.Replay.Range;

/// <summary>
/// The archive's partition folders, <c>dt=YYYY-MM-DD/hour=HH/</c> (UTC, by playedAt): a file under them holds only
/// plays of that hour (of that day with no <c>hour=</c> folder), so a replay limited to a range drops files whose
/// partition lies outside it without opening them. Files outside such folders are always read.
/// </summary>
public static class HourPartitions
{
    /// <summary>The event-time span a file's partition folders allow, if its path has them.</summary>
    public static bool TryGetSpan(string path, out long startMs, out long endMs)
    {
        startMs = endMs = 0;
        string[] folders = Path.GetDirectoryName(Path.GetFullPath(path))?.Split(Path.DirectorySeparatorChar) ?? [];
        for (int i = folders.Length - 1; i >= 0; i--)
        {
            if (!folders[i].StartsWith("dt=", StringComparison.Ordinal)
                || !DateTime.TryParseExact(folders[i].AsSpan(3), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime day))
            {
                continue;
            }

            long dayMs = (long)(day - DateTime.UnixEpoch).TotalMilliseconds;
            if (i + 1 < folders.Length && TryParseHour(folders[i + 1], out int hour))
            {
                startMs = dayMs + (hour * 3_600_000L);
                endMs = startMs + 3_600_000L;
            }
            else
            {
                startMs = dayMs;
                endMs = dayMs + 86_400_000L;
            }

            return true;
        }

        return false;
    }

    /// <summary>The files that may hold plays in <paramref name="range"/>, in their order.</summary>
    public static IReadOnlyList<string> Prune(IReadOnlyList<string> files, EventTimeRange range) =>
        range.IsAll ? files : [.. files.Where(f => !TryGetSpan(f, out long start, out long end) || range.Overlaps(start, end))];

    private static bool TryParseHour(string folder, out int hour)
    {
        hour = 0;
        return folder.Length == 7 && folder.StartsWith("hour=", StringComparison.Ordinal)
            && int.TryParse(folder.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out hour) && hour < 24;
    }
}
