using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Streaming;

/// <summary>
/// Puts a transport's event time and event id (Pub/Sub attributes) in place of the payload's, judged by the same
/// rules: an invalid time is <c>invalid_played_at</c>, an id over 128 code points <c>invalid_event_id</c>.
/// </summary>
internal static class PlayOverriding
{
    /// <summary>Reads a received message's play, then puts the transport's event time and id in place when it is eligible so far.</summary>
    public static IneligibleReason Read(IPlayReader reader, IReceivedMessage message, out PlayFields fields, out GeoPoint? point)
    {
        IneligibleReason reason = reader.Read(message.Payload.Span, out fields, out point);
        PlayOverrides overrides = message.Overrides;
        if (reason == IneligibleReason.None && !overrides.IsEmpty)
        {
            reason = Apply(ref fields, overrides);
        }

        return reason;
    }

    public static IneligibleReason Apply(ref PlayFields fields, PlayOverrides overrides)
    {
        if (!overrides.EventId.IsEmpty)
        {
            ReadOnlySpan<byte> id = overrides.EventId.Span;
            if (!RecordChecks.IsValidId(id))
            {
                return IneligibleReason.InvalidEventId;
            }

            fields.EventId = id;
        }

        if (overrides.InvalidPlayedAt)
        {
            return IneligibleReason.InvalidPlayedAt;
        }

        if (overrides.PlayedAtMs is long playedAtMs)
        {
            fields.PlayedAtMs = playedAtMs;
        }

        return IneligibleReason.None;
    }
}
