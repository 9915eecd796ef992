namespace ListeningTogether.Abstractions.Options;

public enum TransportKind
{
    InMemory,
    PubSub,
    EventHubs,
    Migration,
}

/// <summary>Settings of the <c>Transport</c> section.</summary>
public sealed class TransportOptions
{
    public const string Section = "Transport";

    public TransportKind Kind { get; set; } = TransportKind.InMemory;
}
