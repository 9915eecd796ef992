using System.Buffers;
using System.Globalization;
using System.Text;
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

    public static byte[] Create(ParquetPlayColumns rows, int row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            WriteString(json, "eventId", rows.EventIds, row);
            WriteString(json, "trackId", rows.TrackIds, row);
            WriteString(json, "ip", rows.Ips, row);
            if (TimestampTicks.ToDateTime(rows.PlayedAtTicks[row]) is { } time && rows.PlayedAtTicks[row] != ParquetPlayColumns.NoPlayedAt)
            {
                // Full precision of the column down to 100 ns, as UTC (timestamps are read as UTC whatever their kind).
                json.WriteString("playedAt", time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("playedAt");
            }

            if (rows.PrivateSession[row] is { } isPrivate)
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

    private static void WriteString(Utf8JsonWriter json, string name, Utf8Column column, int row)
    {
        if (column.IsNull(row))
        {
            json.WriteNull(name);
        }
        else
        {
            // As text, so bytes that are not UTF-8 become U+FFFD instead of failing the writer.
            json.WriteString(name, Encoding.UTF8.GetString(column[row]));
        }
    }
}
