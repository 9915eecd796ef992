namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>DeadLetter</c> section.</summary>
public sealed class DeadLetterOptions
{
    public const string Section = "DeadLetter";

    /// <summary>JSONL file of dead-letter entries; none means they are only counted.</summary>
    public string? Path { get; set; }
}
