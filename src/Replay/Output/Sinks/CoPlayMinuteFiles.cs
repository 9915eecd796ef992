using System.Globalization;
using ListeningTogether.Replay.Archive;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// Where the streaming Parquet results go: the co-plays of one UTC minute of window start in
/// <c>ROOT/dt=YYYY-MM-DD/hour=HH/coplays-YYYYMMDDTHHMM.parquet</c>, the archive's hour layout. Temporary files start
/// with <c>_</c>, which replay's input expansion skips.
/// </summary>
public static class CoPlayMinuteFiles
{
    public const long MinuteMs = 60_000;

    public const string TempPattern = "_coplays-*.parquet.tmp";

    private const string NameFormat = "'coplays-'yyyyMMdd'T'HHmm'.parquet'";

    /// <summary>The start (epoch milliseconds) of the UTC minute <paramref name="epochMs"/> falls in.</summary>
    public static long MinuteOf(long epochMs) => Math.DivRem(epochMs, MinuteMs, out long rem) * MinuteMs - (rem < 0 ? MinuteMs : 0);

    public static string PathOf(string root, long minuteStartMs) =>
        Path.Combine(ArchivePartitions.HourFolder(root, ArchivePartitions.HourOf(minuteStartMs)), FileName(minuteStartMs));

    public static string TempPathOf(string root, long minuteStartMs) =>
        Path.Combine(ArchivePartitions.HourFolder(root, ArchivePartitions.HourOf(minuteStartMs)), "_" + FileName(minuteStartMs) + ".tmp");

    /// <summary>The minute (epoch ms) a file name <c>coplays-YYYYMMDDTHHMM.parquet</c> stands for; null for any other name.</summary>
    public static long? MinuteOfFileName(string fileName) =>
        DateTime.TryParseExact(fileName, NameFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime minute)
            ? (long)(minute - DateTime.UnixEpoch).TotalMilliseconds
            : null;

    private static string FileName(long minuteStartMs) =>
        DateTime.UnixEpoch.AddMilliseconds(minuteStartMs).ToString(NameFormat, CultureInfo.InvariantCulture);
}
