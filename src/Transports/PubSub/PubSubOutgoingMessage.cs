namespace ListeningTogether.Transports.PubSub;

/// <summary>A message to publish: its payload (kept, not copied, until sent), an optional ordering key and attributes.</summary>
internal readonly record struct PubSubOutgoingMessage(
    ReadOnlyMemory<byte> Payload,
    string? OrderingKey = null,
    IReadOnlyList<KeyValuePair<string, string>>? Attributes = null);
