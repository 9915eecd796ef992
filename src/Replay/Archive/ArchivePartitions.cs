using System.Globalization;

namespace ListeningTogether.Replay.Archive;

/// <summary>The archive layout: one folder per UTC hour of playedAt, <c>dt=YYYY-MM-DD/hour=HH/</c> under the root.</summary>
internal static class ArchivePartitions
{
    public const long HourMs = 3_600_000;

    /// <summary>The start (epoch milliseconds) of the UTC hour <paramref name="epochMs"/> falls in.</summary>
    public static long HourOf(long epochMs) => Math.DivRem(epochMs, HourMs, out long rem) * HourMs - (rem < 0 ? HourMs : 0);

    /// <summary>The folder of the hour starting at <paramref name="hourStartMs"/>.</summary>
    public static string HourFolder(string root, long hourStartMs)
    {
        DateTime hour = DateTime.UnixEpoch.AddMilliseconds(hourStartMs);
        return Path.Combine(
            root,
            hour.ToString("'dt='yyyy'-'MM'-'dd", CultureInfo.InvariantCulture),
            hour.ToString("'hour='HH", CultureInfo.InvariantCulture));
    }

    /// <summary>Every hour partition under <paramref name="root"/> with its start; folders of any other name are not partitions.</summary>
    public static IEnumerable<(string Folder, DateTime HourStart)> List(string root)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (string day in Directory.EnumerateDirectories(root, "dt=*"))
        {
            if (!DateTime.TryParseExact(Path.GetFileName(day), "'dt='yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime date))
            {
                continue;
            }

            foreach (string hour in Directory.EnumerateDirectories(day, "hour=*"))
            {
                string name = Path.GetFileName(hour);
                if (name.Length == 7 && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int h) && h < 24)
                {
                    yield return (hour, date.AddHours(h));
                }
            }
        }
    }
}
