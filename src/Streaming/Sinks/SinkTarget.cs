namespace ListeningTogether.Streaming.Sinks;

/// <summary>What a streaming write goes to: its component name for metrics and readiness, the setting that names it, and where.</summary>
/// <param name="Component">A <see cref="Health.StreamingComponent"/> name, e.g. <c>results_jsonl</c>.</param>
/// <param name="Setting">The setting an operator looks at, e.g. <c>Results:Jsonl</c>.</param>
/// <param name="Location">The file, folder or topic it writes to.</param>
public sealed record SinkTarget(string Component, string Setting, string Location)
{
    /// <summary>"Results:Jsonl 'out/r.jsonl'": how failures name it.</summary>
    public override string ToString() => $"{Setting} '{Location}'";
}
