namespace ListeningTogether.Abstractions;

/// <summary>
/// One received play as the archive keeps it: UTF-8 event id, track id and ip, event time and receive time; never
/// the user id. The spans point into the caller's buffers and are read only during <see cref="IPlayArchive.Append"/>.
/// </summary>
/// <param name="eventId">The eventId, 1..128 code points.</param>
/// <param name="trackId">The trackId, 1..128 code points.</param>
/// <param name="ip">The ip text as received; empty when it was null, "" or absent.</param>
/// <param name="playedAtMs">The event time, epoch milliseconds (UTC).</param>
/// <param name="privateSession">The privateSession flag (absent or null is false).</param>
/// <param name="receivedAtMs">When the pipeline received it, epoch milliseconds; null when unknown (simulated files).</param>
public readonly ref struct ArchivedPlay(
    ReadOnlySpan<byte> eventId,
    ReadOnlySpan<byte> trackId,
    ReadOnlySpan<byte> ip,
    long playedAtMs,
    bool privateSession,
    long? receivedAtMs)
{
    public ReadOnlySpan<byte> EventId { get; } = eventId;

    public ReadOnlySpan<byte> TrackId { get; } = trackId;

    /// <summary>Empty when the client's address was anonymized (the archive stores null).</summary>
    public ReadOnlySpan<byte> Ip { get; } = ip;

    public long PlayedAtMs { get; } = playedAtMs;

    public bool PrivateSession { get; } = privateSession;

    public long? ReceivedAtMs { get; } = receivedAtMs;
}
