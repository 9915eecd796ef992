namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>Where a (window start, track) key's rows are in a JSONL results file.</summary>
/// <param name="FirstOffset">Where its first row starts: compaction puts the key's latest row there.</param>
/// <param name="Offset">Where its latest row starts.</param>
/// <param name="Length">The latest row's length in bytes, its line end included.</param>
internal readonly record struct ResultRow(long FirstOffset, long Offset, int Length);
