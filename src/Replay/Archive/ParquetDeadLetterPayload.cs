using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The dead-letter payload of a Parquet play row: a small JSON object of the fields replay read, named as in the
/// JSON play event (<c>eventId</c>, <c>trackId</c>, <c>ip</c>, <c>playedAt</c>, <c>privateSession</c>), nulls kept.
/// Never the user id: that column is not even read.
/// </summary>
internal static class ParquetDeadLetterPayload
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Create(ReadOnlyMemory<char>? eventId, ReadOnlyMemory<char>? trackId, ReadOnlyMemory<char>? ip, DateTime? playedAt, bool? privateSession)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            WriteString(json, "eventId", eventId);
            WriteString(json, "trackId", trackId);
            WriteString(json, "ip", ip);
            if (playedAt is { } time)
            {
                // Full precision of the column, as UTC (timestamps are read as UTC whatever their kind).
                json.WriteString("playedAt", time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("playedAt");
            }

            if (privateSession is { } isPrivate)
            {
                json.WriteBoolean("privateSession", isPrivate);
            }
            else
            {
                json.WriteNull("privateSession");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteString(Utf8JsonWriter json, string name, ReadOnlyMemory<char>? value)
    {
        if (value is { } text)
        {
            json.WriteString(name, text.Span);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
