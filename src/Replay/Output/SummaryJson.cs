using System.Text.Json;

namespace ListeningTogether.Replay.Output;

/// <summary>Writes <c>summary.json</c> in DESIGN.md's shape.</summary>
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
        w.WriteNumber("coPlays", s.CoPlays);
        w.WriteNumber("windows", s.Windows);
        w.WriteStartArray("playedAtRange");
        WriteTimeOrNull(w, s.FirstPlayedAtMs);
        WriteTimeOrNull(w, s.LastPlayedAtMs);
        w.WriteEndArray();
        w.WriteStartObject("settings");
        w.WriteNumber("windowMs", s.Settings.WindowMs);
        w.WriteNumber("minDistanceKm", s.Settings.MinDistanceKm);
        w.WriteNumber("maxAccuracyRadiusKm", s.Settings.MaxAccuracyRadiusKm);
        if (s.Settings.AnonymousIpDb is null)
        {
            w.WriteNull("anonymousIpDb");
        }
        else
        {
            w.WriteString("anonymousIpDb", s.Settings.AnonymousIpDb);
        }

        w.WriteEndObject();
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
        foreach (string file in s.SkippedFiles)
        {
            w.WriteStringValue(file);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
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
