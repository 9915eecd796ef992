namespace ListeningTogether.Abstractions;

/// <summary>
/// Why a record did not become an eligible play. The numbered reasons are checked in this order and the
/// first failing one is the record's outcome; the streaming-only reasons come after them.
/// </summary>
public enum IneligibleReason
{
    None = -1,
    Malformed = 0,
    InvalidEventId = 1,
    InvalidTrackId = 2,
    InvalidPlayedAt = 3,
    PrivateSession = 4,
    IpMissing = 5,
    IpInvalid = 6,
    IpNotPublic = 7,
    IpAnonymous = 8,
    GeoNoCity = 9,
    GeoInaccurate = 10,
    FuturePlayedAt = 11,
    Late = 12,
}
