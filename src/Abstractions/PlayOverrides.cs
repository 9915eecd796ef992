namespace ListeningTogether.Abstractions;

/// <summary>
/// Event time and event id a transport carries beside a play's payload, as Beam's PubsubIO takes them from
/// message attributes: the payload must still be a valid play, and these replace its playedAt and eventId for
/// windowing and deduplication.
/// </summary>
/// <param name="PlayedAtMs">Epoch milliseconds, when the transport carries an event time.</param>
/// <param name="InvalidPlayedAt">The transport carries an event time that does not parse or is out of range.</param>
/// <param name="EventId">UTF-8 event id, empty when the transport carries none.</param>
public readonly record struct PlayOverrides(long? PlayedAtMs, bool InvalidPlayedAt, ReadOnlyMemory<byte> EventId)
{
    public bool IsEmpty => PlayedAtMs is null && !InvalidPlayedAt && EventId.IsEmpty;
}
