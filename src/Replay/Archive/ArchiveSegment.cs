using System.Globalization;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The write-ahead segments of an archive: files <c>_segments/NAME.seg</c> under the archive root (the leading
/// <c>_</c> keeps replay out), each an 8-byte magic header followed by blocks (see <see cref="ArchiveBatch"/>).
/// A segment's Parquet files are named after it, so converting it again after a crash replaces them.
/// </summary>
internal static class ArchiveSegment
{
    public const string FolderName = "_segments";
    public const string Extension = ".seg";

    /// <summary>Where damaged segments are moved once their readable plays are converted; never listed or replayed.</summary>
    public const string DamagedFolderName = "_damaged";

    public static ReadOnlySpan<byte> Magic => "LTSEG\u0001\r\n"u8;

    public static string Folder(string root) => Path.Combine(root, FolderName);

    public static string DamagedFolder(string root) => Path.Combine(root, FolderName, DamagedFolderName);

    /// <summary>A new segment's name: its opening time (so names sort by age) and a random part (so processes never clash).</summary>
    public static string NewName(DateTimeOffset openedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{openedAt.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}")[..28];

    /// <summary>The segments in <paramref name="root"/>, oldest first.</summary>
    public static IReadOnlyList<string> List(string root)
    {
        string folder = Folder(root);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The name of the Parquet file a segment becomes in each hour partition.</summary>
    public static string ParquetFileName(string segmentPath) => Path.GetFileNameWithoutExtension(segmentPath) + ".parquet";
}
