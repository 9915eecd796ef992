using System.Globalization;
using System.Text.Json;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Writes playback's JSON: times in ISO 8601 UTC, co-plays with the fields and names of a push (camelCase).</summary>
internal static class PlaybackJson
{
    public static string Time(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string WindowTime(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void WriteView(Utf8JsonWriter json, CoPlayView view)
    {
        json.WriteStartObject();
        json.WriteString("windowStart", view.WindowStart);
        json.WriteString("trackId", view.TrackId);
        json.WriteString("title", view.Title);
        json.WriteString("artist", view.Artist);
        json.WriteNumber("plays", view.Plays);
        json.WriteNumber("locations", view.Locations);
        WritePlace(json, "a", view.A);
        WritePlace(json, "b", view.B);
        json.WriteNumber("distanceKm", view.DistanceKm);
        json.WriteEndObject();
    }

    private static void WritePlace(Utf8JsonWriter json, string name, PlaceView place)
    {
        json.WriteStartObject(name);
        json.WriteString("city", place.City);
        json.WriteString("country", place.Country);
        json.WriteNumber("lat", place.Lat);
        json.WriteNumber("lon", place.Lon);
        json.WriteEndObject();
    }
}
