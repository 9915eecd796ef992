namespace ListeningTogether.Streaming.Health;

/// <summary>The parts of a streaming process that <c>/readyz</c> and <c>lt_ready{component}</c> report on (DESIGN.md "Failure, exit codes and readiness").</summary>
public static class StreamingComponent
{
    public const string Source = "source";

    public const string ResultsJsonl = "results_jsonl";

    public const string ResultsParquet = "results_parquet";

    public const string Archive = "archive";

    public const string DeadLetter = "dead_letter";

    public const string Publish = "publish";

    public const string Push = "push";
}
