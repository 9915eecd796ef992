using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>Play records as JSON text: DESIGN.md's example record, with single fields replaced or removed.</summary>
public static class PlayJson
{
    /// <summary>2026-11-26T14:03:22.431Z, the example's playedAt, in epoch milliseconds.</summary>
    public const long ExamplePlayedAtMs = 1_795_701_802_431;

    public const string ExampleTrack = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";

    private static readonly string[] FieldOrder = ["eventId", "trackId", "userId", "ip", "playedAt", "privateSession"];

    private static readonly Dictionary<string, string> ExampleValues = new()
    {
        ["eventId"] = "\"5f0c9a\"",
        ["trackId"] = $"\"{ExampleTrack}\"",
        ["userId"] = "\"u-91f2\"",
        ["ip"] = "\"81.2.69.142\"",
        ["playedAt"] = "\"2026-11-26T14:03:22.431Z\"",
        ["privateSession"] = "false",
    };

    /// <summary>The example record.</summary>
    public static string Example => With();

    /// <summary>The example record with fields set to raw JSON values; a null value removes the field.</summary>
    public static string With(params (string Field, string? RawJson)[] overrides)
    {
        var values = new Dictionary<string, string?>(ExampleValues!);
        foreach (var (field, raw) in overrides)
        {
            values[field] = raw;
        }

        IEnumerable<string> fields = FieldOrder.Concat(values.Keys.Except(FieldOrder))
            .Where(f => values[f] is not null)
            .Select(f => $"\"{f}\":{values[f]}");
        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>The example record with one field set to a JSON string.</summary>
    public static string WithString(string field, string value) => With((field, $"\"{value}\""));

    /// <summary>What the decoder made of a record, copied out of its spans.</summary>
    public sealed record Decoded(
        IneligibleReason Reason,
        string EventId,
        string TrackId,
        string Ip,
        bool HasIp,
        long PlayedAtMs,
        bool HasPlayedAt,
        bool PrivateSession);

    public static Decoded Decode(string json) => Decode(Encoding.UTF8.GetBytes(json));

    public static Decoded Decode(byte[] utf8)
    {
        IneligibleReason reason = new PlayDecoder().Decode(utf8, out PlayFields fields);
        return new Decoded(
            reason,
            Encoding.UTF8.GetString(fields.EventId),
            Encoding.UTF8.GetString(fields.TrackId),
            Encoding.UTF8.GetString(fields.Ip),
            fields.HasIp,
            fields.PlayedAtMs,
            fields.HasPlayedAt,
            fields.PrivateSession);
    }
}
