using Azure.Messaging.EventHubs.Primitives;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>A checkpoint read from the Blob store, with the sequence number and offset it was written with.</summary>
internal sealed class BlobCheckpoint : EventProcessorCheckpoint
{
    /// <summary>The last event handled; reading resumes after it.</summary>
    public long? SequenceNumber { get; init; }

    public string? Offset { get; init; }
}
