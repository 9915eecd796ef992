using System.Globalization;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;

namespace ListeningTogether.Replay.Output.Summary;

/// <summary>
/// Reads a <c>summary.json</c> written by <see cref="SummaryJson"/> (what <c>merge</c> combines). A missing key or a
/// value of the wrong type is an <see cref="InputFileException"/> naming the file and the key.
/// </summary>
public static class SummaryJsonReader
{
    public static ReplaySummary Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InputFileException(path, $"'{path}' is not a replay summary: {e.Message}", e);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new InputFileException(path, $"'{path}' is not a replay summary: {e.Message}", e);
            }
        }
    }

    private static ReplaySummary Read(JsonElement root)
    {
        JsonElement settings = Property(root, "settings", JsonValueKind.Object);
        JsonElement cityDatabase = Property(root, "cityDatabase", JsonValueKind.Object);
        JsonElement playedAtRange = Property(root, "playedAtRange", JsonValueKind.Array);
        if (playedAtRange.GetArrayLength() != 2)
        {
            throw new FormatException("\"playedAtRange\" must hold two times.");
        }

        return new ReplaySummary(
            Int64(root, "inputRecords"),
            Int64(root, "eligibleRecords"),
            Int64(root, "eligiblePlays"),
            Int64(root, "duplicateRecords"),
            Property(root, "ineligible", JsonValueKind.Object).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            Int64(root, "outsideRange"),
            Int64(root, "coPlays"),
            Int64(root, "windows"),
            TimeOrNull(playedAtRange[0], "playedAtRange"),
            TimeOrNull(playedAtRange[1], "playedAtRange"),
            new ReplaySettings(
                Int32(settings, "windowMs"),
                Property(settings, "minDistanceKm", JsonValueKind.Number).GetDouble(),
                Int32(settings, "maxAccuracyRadiusKm"),
                StringOrNull(settings, "anonymousIpDb"),
                settings.TryGetProperty("from", out JsonElement from) ? TimeOrNull(from, "settings.from") : null,
                settings.TryGetProperty("to", out JsonElement to) ? TimeOrNull(to, "settings.to") : null),
            new CityDatabaseInfo(
                String(cityDatabase, "type"),
                DateTimeOffset.FromUnixTimeMilliseconds(Time(Property(cityDatabase, "buildTime", JsonValueKind.String), "cityDatabase.buildTime"))),
            [.. Items(root, "inputs").Select(i => new InputFileSummary(String(i, "path"), Int64(i, "records")))],
            [.. Items(root, "skippedFiles").Select(s => new SkippedFile(String(s, "file"), String(s, "reason")))],
            [.. Items(root, "topTracks").Select(t => new TrackTotal(String(t, "trackId"), Int64(t, "coPlays"), Int64(t, "plays")))],
            [.. Items(root, "topCityPairs").Select(p => new CityPairTotal(
                Place(Property(p, "a", JsonValueKind.Object)),
                Place(Property(p, "b", JsonValueKind.Object)),
                Property(p, "distanceKm", JsonValueKind.Number).GetDouble(),
                Int64(p, "coPlays"),
                Int64(p, "plays")))],
            [.. Items(root, "coPlaysPerMinute").Select(m => new MinuteTotal(
                Time(Property(m, "minute", JsonValueKind.String), "coPlaysPerMinute.minute"),
                Int64(m, "eligiblePlays"),
                Int64(m, "coPlays")))]);
    }

    private static Location Place(JsonElement place) => new(
        Int64(place, "geonameId"),
        StringOrNull(place, "city"),
        StringOrNull(place, "country"),
        Property(place, "lat", JsonValueKind.Number).GetDouble(),
        Property(place, "lon", JsonValueKind.Number).GetDouble());

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            throw new FormatException($"\"{name}\" is missing.");
        }

        if (value.ValueKind != kind)
        {
            throw new FormatException($"\"{name}\" must be {kind.ToString().ToLowerInvariant()}, not {value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        return value;
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        Property(element, name, JsonValueKind.Array).EnumerateArray();

    private static long Int64(JsonElement element, string name) =>
        Property(element, name, JsonValueKind.Number).TryGetInt64(out long value) ? value : throw new FormatException($"\"{name}\" must be an integer.");

    private static int Int32(JsonElement element, string name) =>
        Property(element, name, JsonValueKind.Number).TryGetInt32(out int value) ? value : throw new FormatException($"\"{name}\" must be an integer.");

    private static string String(JsonElement element, string name) => Property(element, name, JsonValueKind.String).GetString()!;

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null ? null : String(element, name);

    private static long? TimeOrNull(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Null ? null : Time(value, name);

    private static long Time(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParseExact(value.GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? time.ToUnixTimeMilliseconds()
            : throw new FormatException($"\"{name}\" must be a time like 2026-11-26T09:00:00.000Z.");
}
