using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Merge;

/// <summary>One replay output folder that <c>merge</c> reads: its summary, and where its co-plays are.</summary>
internal sealed record ReplayOutput(string Directory, ReplaySummary Summary)
{
    public string CoPlaysPath => Path.Combine(Directory, ResultFiles.CoPlaysJsonl);

    /// <summary>Opens a replay output folder; one that is missing or lacks its files is refused naming what is missing.</summary>
    public static ReplayOutput Open(string directory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (!System.IO.Directory.Exists(full))
        {
            throw new MergeRefusedException($"Input '{directory}' is not a folder: merge combines replay output folders.");
        }

        foreach (string name in new[] { ResultFiles.Summary, ResultFiles.CoPlaysJsonl })
        {
            if (!File.Exists(Path.Combine(full, name)))
            {
                throw new MergeRefusedException($"'{full}' is not a replay output: it has no {name}.");
            }
        }

        return new ReplayOutput(full, SummaryJsonReader.Read(Path.Combine(full, ResultFiles.Summary)));
    }
}
