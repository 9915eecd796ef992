using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>Reads back one line of the JSONL co-play form (<see cref="CoPlayJsonl"/>); unknown properties (say <c>"v"</c>) are ignored.</summary>
public static class CoPlayJsonlReader
{
    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out CoPlay? coPlay, [NotNullWhen(false)] out string? error)
    {
        coPlay = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            Expect(ref reader, JsonTokenType.StartObject);
            long? windowStart = null, plays = null, locations = null;
            string? trackId = null;
            Location? a = null, b = null;
            double? distanceKm = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("windowStart"u8))
                {
                    windowStart = Time(ReadString(ref reader, "windowStart"));
                }
                else if (reader.ValueTextEquals("trackId"u8))
                {
                    trackId = ReadString(ref reader, "trackId");
                }
                else if (reader.ValueTextEquals("plays"u8))
                {
                    plays = ReadInt64(ref reader, "plays");
                }
                else if (reader.ValueTextEquals("locations"u8))
                {
                    locations = ReadInt64(ref reader, "locations");
                }
                else if (reader.ValueTextEquals("a"u8))
                {
                    a = ReadPlace(ref reader, "a");
                }
                else if (reader.ValueTextEquals("b"u8))
                {
                    b = ReadPlace(ref reader, "b");
                }
                else if (reader.ValueTextEquals("distanceKm"u8))
                {
                    distanceKm = ReadDouble(ref reader, "distanceKm");
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException("not one JSON object");
            }

            coPlay = new CoPlay(
                windowStart ?? throw Missing("windowStart"),
                trackId ?? throw Missing("trackId"),
                plays ?? throw Missing("plays"),
                locations ?? throw Missing("locations"),
                a ?? throw Missing("a"),
                b ?? throw Missing("b"),
                distanceKm ?? throw Missing("distanceKm"));
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            error = e is JsonException ? "not valid JSON" : e.Message;
            return false;
        }
    }

    private static Location ReadPlace(ref Utf8JsonReader reader, string name)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            throw new FormatException($"\"{name}\" must be an object");
        }

        long? geonameId = null;
        string? city = null, country = null;
        bool hasCity = false, hasCountry = false;
        double? lat = null, lon = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("geonameId"u8))
            {
                geonameId = ReadInt64(ref reader, $"{name}.geonameId");
            }
            else if (reader.ValueTextEquals("city"u8))
            {
                city = ReadStringOrNull(ref reader, $"{name}.city");
                hasCity = true;
            }
            else if (reader.ValueTextEquals("country"u8))
            {
                country = ReadStringOrNull(ref reader, $"{name}.country");
                hasCountry = true;
            }
            else if (reader.ValueTextEquals("lat"u8))
            {
                lat = ReadDouble(ref reader, $"{name}.lat");
            }
            else if (reader.ValueTextEquals("lon"u8))
            {
                lon = ReadDouble(ref reader, $"{name}.lon");
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Location(
            geonameId ?? throw Missing($"{name}.geonameId"),
            hasCity ? city : throw Missing($"{name}.city"),
            hasCountry ? country : throw Missing($"{name}.country"),
            lat ?? throw Missing($"{name}.lat"),
            lon ?? throw Missing($"{name}.lon"));
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("the line ends inside the object");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException("not a JSON object");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string name) =>
        ReadStringOrNull(ref reader, name) ?? throw new FormatException($"\"{name}\" must be a string");

    private static string? ReadStringOrNull(ref Utf8JsonReader reader, string name) => Next(ref reader) switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FormatException($"\"{name}\" must be a string"),
    };

    private static long ReadInt64(ref Utf8JsonReader reader, string name) =>
        Next(ref reader) == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : throw new FormatException($"\"{name}\" must be an integer");

    private static double ReadDouble(ref Utf8JsonReader reader, string name) =>
        Next(ref reader) == JsonTokenType.Number ? reader.GetDouble() : throw new FormatException($"\"{name}\" must be a number");

    private static long Time(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? time.ToUnixTimeMilliseconds()
            : throw new FormatException("\"windowStart\" must be a time like 2026-11-26T09:00:00.000Z");

    private static FormatException Missing(string name) => new($"\"{name}\" is missing");
}
