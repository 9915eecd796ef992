using System.Globalization;
using System.Text.Json;

namespace ListeningTogether.Host.Composition;

/// <summary>The top-level fields of a results message that say what it is: a watermark (with its shard, count, idle flag and counts) or a co-play's shard.</summary>
internal readonly record struct ResultsEnvelope(long? WatermarkMs, int? Shard, int? Shards, bool Idle, IReadOnlyDictionary<long, int>? Counts)
{
    public static bool TryRead(ReadOnlySpan<byte> payload, out ResultsEnvelope envelope)
    {
        envelope = default;
        long? watermark = null;
        int? shard = null, shards = null;
        bool idle = false;
        Dictionary<long, int>? counts = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("watermark"u8) && reader.Read())
                {
                    watermark = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("shard"u8) && reader.Read())
                {
                    shard = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("shards"u8) && reader.Read())
                {
                    shards = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("idle"u8) && reader.Read())
                {
                    idle = reader.GetBoolean();
                }
                else if (reader.ValueTextEquals("counts"u8) && reader.Read())
                {
                    counts = ReadCounts(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }

        envelope = new ResultsEnvelope(watermark, shard, shards, idle, counts);
        return true;
    }

    private static Dictionary<long, int> ReadCounts(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("counts is not an object");
        }

        var counts = new Dictionary<long, int>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long windowStart = long.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            reader.Read();
            counts[windowStart] = reader.GetInt32();
        }

        return counts;
    }
}
