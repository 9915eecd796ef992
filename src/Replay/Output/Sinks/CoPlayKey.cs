using System.Globalization;
using System.Text.Json;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>Reads the (window start, track) key of a JSONL co-play line.</summary>
internal static class CoPlayKey
{
    /// <summary>False for anything but a JSON object with a windowStart time and a trackId string.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out (long WindowStartMs, string TrackId) key)
    {
        key = default;
        string? start = null, trackId = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isStart = reader.ValueTextEquals("windowStart"u8);
                bool isTrack = reader.ValueTextEquals("trackId"u8);
                reader.Read();
                if (isStart && reader.TokenType == JsonTokenType.String)
                {
                    start = reader.GetString();
                }
                else if (isTrack && reader.TokenType == JsonTokenType.String)
                {
                    trackId = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a line someone else wrote): not a key.
            return false;
        }

        if (start is null || trackId is null
            || !DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return false;
        }

        key = (time.ToUnixTimeMilliseconds(), trackId);
        return true;
    }
}
