using System.Globalization;
using System.Text;
using Google.Protobuf.Collections;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Reads a message's event time and id from the attributes named by <c>TimestampAttribute</c> and
/// <c>IdAttribute</c>, as Beam's PubsubIO does: the time as epoch milliseconds or RFC 3339, the id as text.
/// </summary>
internal static class EventAttributes
{
    private const long MinMs = 946_684_800_000;   // 2000-01-01T00:00:00Z
    private const long MaxMs = 4_102_444_800_000; // 2100-01-01T00:00:00Z, exclusive

    public static PlayOverrides Read(MapField<string, string> attributes, string? timestampAttribute, string? idAttribute)
    {
        if (attributes.Count == 0)
        {
            return default;
        }

        long? playedAtMs = null;
        bool invalid = false;
        if (timestampAttribute is not null && attributes.TryGetValue(timestampAttribute, out string? time))
        {
            playedAtMs = ParseTime(time);
            invalid = playedAtMs is null;
        }

        ReadOnlyMemory<byte> eventId = default;
        if (idAttribute is not null && attributes.TryGetValue(idAttribute, out string? id) && id.Length > 0)
        {
            eventId = Encoding.UTF8.GetBytes(id);
        }

        return new PlayOverrides(playedAtMs, invalid, eventId);
    }

    /// <summary>Epoch milliseconds (digits only) or RFC 3339, floored to the millisecond; null when neither or out of range.</summary>
    public static long? ParseTime(string text)
    {
        long ms;
        if (text.Length > 0 && text.AsSpan().ContainsAnyExceptInRange('0', '9') == false)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms))
            {
                return null;
            }
        }
        else if (DateTimeOffset.TryParseExact(text, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            ms = parsed.ToUnixTimeMilliseconds();
        }
        else
        {
            return null;
        }

        return ms is >= MinMs and < MaxMs ? ms : null;
    }

    private static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ssK",
        "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];
}
