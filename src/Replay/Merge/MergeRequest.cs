using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Merge;

/// <summary>Replay output folders (each with <c>coplays.jsonl</c> and <c>summary.json</c>) to combine into <paramref name="OutputDirectory"/>.</summary>
public sealed record MergeRequest(IReadOnlyList<string> Inputs, string OutputDirectory)
{
    /// <summary>The site whose playback each minute of the merged <c>report.html</c> links to; none, no links.</summary>
    public PlaybackSite? PlaybackSite { get; init; }
}
