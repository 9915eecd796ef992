using System.Globalization;
using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output;

/// <summary>Reads one co-play in its JSONL form (a results file line or a results-topic message, with or without <c>"v":1</c>).</summary>
public static class CoPlayJsonlReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, out CoPlay? coPlay)
    {
        coPlay = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || (root.TryGetProperty("v", out JsonElement version) && version.GetInt32() != 1)
                || !DateTimeOffset.TryParseExact(root.GetProperty("windowStart").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset windowStart)
                || root.GetProperty("trackId").GetString() is not { Length: > 0 } trackId)
            {
                return false;
            }

            coPlay = new CoPlay(
                windowStart.ToUnixTimeMilliseconds(),
                trackId,
                root.GetProperty("plays").GetInt64(),
                root.GetProperty("locations").GetInt64(),
                Place(root.GetProperty("a")),
                Place(root.GetProperty("b")),
                root.GetProperty("distanceKm").GetDouble());
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static Location Place(JsonElement place) => new(
        place.GetProperty("geonameId").GetInt64(),
        place.GetProperty("city").GetString(),
        place.GetProperty("country").GetString(),
        place.GetProperty("lat").GetDouble(),
        place.GetProperty("lon").GetDouble());
}
