using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Spill;

/// <summary>A bucket's co-plays in result order, each one's place ids at the same index, and its totals.</summary>
internal sealed record SpillBatchResult(IReadOnlyList<CoPlay> CoPlays, IReadOnlyList<CoPlayPlaces> Places, long DistinctPlays, long Windows);
