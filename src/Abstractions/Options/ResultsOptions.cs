using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Results</c> section: extra co-play sinks.</summary>
public sealed class ResultsOptions
{
    public const string Section = "Results";

    public string? Jsonl { get; set; }

    /// <summary>
    /// How far behind the newest window written the JSONL sink remembers its keys (window start, track): an identical
    /// re-emit within it writes nothing, an older one is appended again (compaction at stop removes it). Its memory is
    /// the co-plays of this span.
    /// </summary>
    [Range(0, 86_400)]
    public int JsonlKeyHorizonSeconds { get; set; } = 60;

    public string? ParquetDir { get; set; }

    /// <summary>
    /// Minute files of <see cref="ParquetDir"/> older than this many hours are deleted; unset keeps them all.
    /// <c>serve</c> on the embedded defaults keeps its results under <c>data/results/</c> for 24 hours.
    /// </summary>
    [Range(1, 87_600)]
    public int? RetentionHours { get; set; }
}
