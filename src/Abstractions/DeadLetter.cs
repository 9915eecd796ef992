namespace ListeningTogether.Abstractions;

/// <summary>A record that could not be processed, with why, when and where it came from. The payload is cut at 4 KiB.</summary>
public sealed record DeadLetter(IneligibleReason Reason, DateTimeOffset ReceivedAt, string Source, ReadOnlyMemory<byte> Payload)
{
    public const int MaxPayloadBytes = 4096;
}
