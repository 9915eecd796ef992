using ListeningTogether.Abstractions;

namespace ListeningTogether.Simulator;

/// <summary>
/// One simulated record: the play it encodes plus what the simulator knows about it (the city it was made for,
/// which kind of dirty input it is, whether it is a redelivered copy). Holds numbers, not strings, so plays can be
/// generated and encoded without allocating; <see cref="ToPlayEvent"/> gives the string form.
/// </summary>
/// <param name="EventId">The event id, formatted as a GUID string.</param>
/// <param name="Track">The catalog track; its <see cref="Track.TrackId"/> is the play's trackId.</param>
/// <param name="TrackRank">The popularity rank of the track in the catalog (0 = most popular).</param>
/// <param name="UserNumber">The user; the userId is "u-" followed by this number in base 36.</param>
/// <param name="Ip">The client address.</param>
/// <param name="PlayedAtMs">Event time, Unix epoch milliseconds.</param>
/// <param name="PrivateSession">The privateSession field; null leaves it out.</param>
/// <param name="GeonameId">The GeoNames id of the city the play was simulated in; a clean or private-session play's IP geolocates there.</param>
/// <param name="Kind">Clean, or which kind of dirty input.</param>
/// <param name="Malformed">How a malformed record is broken; <see cref="MalformedShape.None"/> otherwise.</param>
/// <param name="Variant">Random bits that choose the details of a malformed record (where to cut, which field).</param>
/// <param name="IsRedelivery">A copy of an earlier record sent again, as at-least-once delivery does.</param>
public readonly record struct SimulatedPlay(
    Guid EventId,
    Track Track,
    int TrackRank,
    long UserNumber,
    SimulatedIp Ip,
    long PlayedAtMs,
    bool? PrivateSession,
    int GeonameId,
    SimulatedPlayKind Kind,
    MalformedShape Malformed,
    uint Variant,
    bool IsRedelivery)
{
    public DateTimeOffset PlayedAt => DateTimeOffset.FromUnixTimeMilliseconds(PlayedAtMs);

    public string UserId
    {
        get
        {
            Span<char> digits = stackalloc char[Base36.MaxLength];
            return string.Concat("u-", Base36.Format(UserNumber, digits));
        }
    }

    /// <summary>The play as the <see cref="PlayEvent"/> record (for a malformed record, the play it was broken from).</summary>
    public PlayEvent ToPlayEvent() => new(EventId.ToString("D"), Track.TrackId, UserId, Ip.ToString(), PlayedAt, PrivateSession);
}
