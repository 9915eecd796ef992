using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// The folders playback reads, and only these: replay outputs in order of precedence, then the live results folder
/// (<c>Results:ParquetDir</c>). Every file it opens is a <c>coplays.parquet</c> directly in a replay output folder or
/// a minute file whose path is built from a parsed minute (<see cref="CoPlayMinuteFiles.PathOf"/>).
/// </summary>
internal sealed record PlaybackSources(IReadOnlyList<string> ReplayRoots, string? LiveRoot)
{
    public const string CoPlaysFile = "coplays.parquet";

    public bool IsEmpty => ReplayRoots.Count == 0 && LiveRoot is null;

    /// <summary>
    /// The <c>coplays.parquet</c> files of the replay outputs, in precedence order: a root that is itself a replay
    /// output; else its subfolders that are, and the subfolders of those that are not (the replay Jobs' layout
    /// <c>DAY/day/</c> and <c>DAY/hour=HH/</c>), each level by ordinal name, so a merged <c>day</c> comes before its hours.
    /// </summary>
    public IEnumerable<string> ReplayFiles() => ReplayRoots.SelectMany(root => OutputsUnder(root, levels: 2));

    private static IEnumerable<string> OutputsUnder(string folder, int levels)
    {
        string own = Path.Combine(folder, CoPlaysFile);
        if (File.Exists(own))
        {
            return [own];
        }

        return levels == 0 || !Directory.Exists(folder)
            ? []
            : Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).SelectMany(sub => OutputsUnder(sub, levels - 1));
    }
}
