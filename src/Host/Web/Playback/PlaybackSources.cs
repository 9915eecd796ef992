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
    /// output, else its subfolders that are (one level down, by ordinal name).
    /// </summary>
    public IEnumerable<string> ReplayFiles()
    {
        foreach (string root in ReplayRoots)
        {
            string own = Path.Combine(root, CoPlaysFile);
            if (File.Exists(own))
            {
                yield return own;
                continue;
            }

            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                string file = Path.Combine(folder, CoPlaysFile);
                if (File.Exists(file))
                {
                    yield return file;
                }
            }
        }
    }
}
