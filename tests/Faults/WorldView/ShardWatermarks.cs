using System.Text.Json;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// The watermark messages among the results topic's payloads (DESIGN.md "One world view"):
/// <c>{"v":1,"watermark":MS,"shard":K,"shards":N,…}</c>, with <c>"idle":true</c> from a shard without plays.
/// </summary>
public static class ShardWatermarks
{
    /// <summary>The shards that published at least one watermark, in order.</summary>
    public static IReadOnlyList<int> ShardsHeard(IEnumerable<string> payloads) =>
        [.. payloads.Select(Read).OfType<int>().Distinct().Order()];

    private static int? Read(string payload)
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
