using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay;

/// <summary>What the first pass counted and where it spilled: the summary's counts, the buckets, the skipped files.</summary>
internal sealed record ClassifyResult(
    ReasonCounters Counters,
    long[] RecordsPerFile,
    long? FirstPlayedAtMs,
    long? LastPlayedAtMs,
    IReadOnlyList<long> Buckets)
{
    /// <summary>Records with a valid playedAt outside the request's range (counted in no other way).</summary>
    public long OutsideRange { get; init; }

    /// <summary>Files (or row groups) left out by <see cref="ReplayRequest.SkipBadFiles"/>, in input order.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; init; } = [];
}
