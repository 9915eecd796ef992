using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// The record-level checks of DESIGN.md "Eligibility" that every reader of plays shares (the JSONL decoder, the
/// Parquet archive's rows, a transport's event id), in DESIGN's order: malformed (each reader's own), invalid
/// event id, invalid track id, invalid playedAt (each reader's own parse), private session, missing ip.
/// </summary>
public static class RecordChecks
{
    /// <summary>An id longer than this many code points is invalid.</summary>
    public const int MaxIdCodePoints = 128;

    /// <summary>
    /// The id checks, event id first: <see cref="IneligibleReason.InvalidEventId"/>, then
    /// <see cref="IneligibleReason.InvalidTrackId"/>, for an id that is absent (or not a string) or not 1..128 code points.
    /// </summary>
    public static IneligibleReason CheckIds(bool hasEventId, ReadOnlySpan<byte> eventId, bool hasTrackId, ReadOnlySpan<byte> trackId)
    {
        if (!hasEventId || !IsValidId(eventId))
        {
            return IneligibleReason.InvalidEventId;
        }

        return hasTrackId && IsValidId(trackId) ? IneligibleReason.None : IneligibleReason.InvalidTrackId;
    }

    /// <summary>The checks after playedAt: a private session first, then a missing ip.</summary>
    public static IneligibleReason CheckSession(bool privateSession, bool hasIp)
    {
        if (privateSession)
        {
            return IneligibleReason.PrivateSession;
        }

        return hasIp ? IneligibleReason.None : IneligibleReason.IpMissing;
    }

    /// <summary>An id of 1..128 code points, given as UTF-8.</summary>
    public static bool IsValidId(ReadOnlySpan<byte> utf8) =>
        !utf8.IsEmpty && (utf8.Length <= MaxIdCodePoints || CodePoints(utf8) <= MaxIdCodePoints);

    /// <summary>Code points of UTF-8: every byte that is not a continuation byte starts one.</summary>
    private static int CodePoints(ReadOnlySpan<byte> utf8)
    {
        int count = 0;
        foreach (byte b in utf8)
        {
            count += (b & 0xC0) != 0x80 ? 1 : 0;
        }

        return count;
    }
}
