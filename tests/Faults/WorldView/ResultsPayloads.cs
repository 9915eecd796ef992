using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// What the results topic carried (DESIGN.md "One world view"): co-plays as their JSONL object with <c>"v":1</c>
/// and <c>"shard":K</c>, and the shards' watermarks <c>{"v":1,"watermark":MS,"shard":K,"shards":N,…}</c>.
/// </summary>
public static class ResultsPayloads
{
    /// <summary>The shards that published at least one watermark, in order.</summary>
    public static IReadOnlyList<int> ShardsHeard(IEnumerable<string> payloads) =>
        [.. payloads.Select(WatermarkShard).OfType<int>().Distinct().Order()];

    /// <summary>The distinct co-plays, in window order and then track order.</summary>
    public static IReadOnlyList<ShownCoPlay> CoPlays(IEnumerable<string> payloads) =>
        Ordered(payloads
            .Select(p => CoPlayJsonlReader.TryParse(Encoding.UTF8.GetBytes(p), out CoPlay? coPlay, out _) ? coPlay : null)
            .OfType<CoPlay>()
            .Select(ShownCoPlay.Of)
            .Distinct());

    /// <summary>Co-plays in window order, then track order (track ids are ASCII: ordinal order is their bytes' order).</summary>
    public static IReadOnlyList<ShownCoPlay> Ordered(IEnumerable<ShownCoPlay> coPlays) =>
        [.. coPlays.OrderBy(c => c.WindowStart, StringComparer.Ordinal).ThenBy(c => c.TrackId, StringComparer.Ordinal)];

    private static int? WatermarkShard(string payload)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(payload);
            JsonElement root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("watermark", out _)
                && root.TryGetProperty("shard", out JsonElement shard)
                && shard.ValueKind == JsonValueKind.Number
                && shard.TryGetInt32(out int index)
                ? index
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
