using System.Globalization;
using System.Text.Json;

namespace ListeningTogether.Replay.Output;

/// <summary>Reads the (window start, track) key of a JSONL co-play line.</summary>
internal static class CoPlayKey
{
    public static bool TryRead(string line, out (long WindowStartMs, string TrackId) key)
    {
        key = default;
        try
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            if (root.TryGetProperty("windowStart", out JsonElement start) && root.TryGetProperty("trackId", out JsonElement track)
                && DateTimeOffset.TryParse(start.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
                && track.GetString() is { } trackId)
            {
                key = (time.ToUnixTimeMilliseconds(), trackId);
                return true;
            }
        }
        catch (JsonException)
        {
            // A torn last line from a crash: not a key.
        }

        return false;
    }
}
