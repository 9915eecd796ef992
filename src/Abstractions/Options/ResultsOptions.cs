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
}
