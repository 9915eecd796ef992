namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Results</c> section: extra co-play sinks.</summary>
public sealed class ResultsOptions
{
    public const string Section = "Results";

    public string? Jsonl { get; set; }

    public string? ParquetDir { get; set; }
}
