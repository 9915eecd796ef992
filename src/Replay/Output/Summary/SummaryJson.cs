using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Summary;

/// <summary>Writes <c>summary.json</c> in DESIGN.md's shape (read back by <see cref="SummaryJsonReader"/>).</summary>
public static class SummaryJson
{
    public static void Write(Stream output, ReplaySummary s)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("inputRecords", s.InputRecords);
        w.WriteNumber("eligibleRecords", s.EligibleRecords);
        w.WriteNumber("eligiblePlays", s.EligiblePlays);
        w.WriteNumber("duplicateRecords", s.DuplicateRecords);
        w.WriteStartObject("ineligible");
        foreach (var (reason, count) in s.Ineligible)
        {
            w.WriteNumber(reason, count);
        }

        w.WriteEndObject();
        w.WriteNumber("outsideRange", s.OutsideRange);
        w.WriteNumber("coPlays", s.CoPlays);
        w.WriteNumber("windows", s.Windows);
        w.WriteStartArray("playedAtRange");
        WriteTimeOrNull(w, s.FirstPlayedAtMs);
        WriteTimeOrNull(w, s.LastPlayedAtMs);
        w.WriteEndArray();
        WriteSettings(w, s.Settings);
        w.WriteStartObject("cityDatabase");
        w.WriteString("type", s.CityDatabase.Type);
        w.WriteString("buildTime", JsonText.FormatTime(s.CityDatabase.BuildTime.ToUnixTimeMilliseconds()));
        w.WriteEndObject();
        w.WriteStartArray("inputs");
        foreach (InputFileSummary input in s.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("path", input.Path);
            w.WriteNumber("records", input.Records);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("skippedFiles");
        foreach (SkippedFile skipped in s.SkippedFiles)
        {
            w.WriteStartObject();
            w.WriteString("file", skipped.File);
            w.WriteString("reason", skipped.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteTopLists(w, s);
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteSettings(Utf8JsonWriter w, ReplaySettings settings)
    {
        w.WriteStartObject("settings");
        w.WriteNumber("windowMs", settings.WindowMs);
        w.WriteNumber("minDistanceKm", settings.MinDistanceKm);
        w.WriteNumber("maxAccuracyRadiusKm", settings.MaxAccuracyRadiusKm);
        if (settings.AnonymousIpDb is null)
        {
            w.WriteNull("anonymousIpDb");
        }
        else
        {
            w.WriteString("anonymousIpDb", settings.AnonymousIpDb);
        }

        // Only a replay limited to a range has them, so an unlimited one keeps the shape of DESIGN.md's example.
        if (settings.FromMs is not null || settings.ToMs is not null)
        {
            w.WritePropertyName("from");
            WriteTimeOrNull(w, settings.FromMs);
            w.WritePropertyName("to");
            WriteTimeOrNull(w, settings.ToMs);
        }

        w.WriteEndObject();
    }

    private static void WriteTopLists(Utf8JsonWriter w, ReplaySummary s)
    {
        w.WriteStartArray("topTracks");
        foreach (TrackTotal track in s.TopTracks)
        {
            w.WriteStartObject();
            w.WriteString("trackId", track.TrackId);
            w.WriteNumber("coPlays", track.CoPlays);
            w.WriteNumber("plays", track.Plays);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("topCityPairs");
        foreach (CityPairTotal pair in s.TopCityPairs)
        {
            w.WriteStartObject();
            WritePlace(w, "a", pair.A);
            WritePlace(w, "b", pair.B);
            w.WriteNumber("distanceKm", pair.DistanceKm);
            w.WriteNumber("coPlays", pair.CoPlays);
            w.WriteNumber("plays", pair.Plays);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("coPlaysPerMinute");
        foreach (MinuteTotal minute in s.PerMinute)
        {
            w.WriteStartObject();
            w.WriteString("minute", JsonText.FormatTime(minute.MinuteStartMs));
            w.WriteNumber("eligiblePlays", minute.EligiblePlays);
            w.WriteNumber("coPlays", minute.CoPlays);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WritePlace(Utf8JsonWriter w, string name, Location place)
    {
        w.WriteStartObject(name);
        w.WriteNumber("geonameId", place.GeonameId);
        if (place.City is null)
        {
            w.WriteNull("city");
        }
        else
        {
            w.WriteString("city", place.City);
        }

        if (place.Country is null)
        {
            w.WriteNull("country");
        }
        else
        {
            w.WriteString("country", place.Country);
        }

        w.WriteNumber("lat", place.Lat);
        w.WriteNumber("lon", place.Lon);
        w.WriteEndObject();
    }

    private static void WriteTimeOrNull(Utf8JsonWriter w, long? ms)
    {
        if (ms is long value)
        {
            w.WriteStringValue(JsonText.FormatTime(value));
        }
        else
        {
            w.WriteNullValue();
        }
    }
}
