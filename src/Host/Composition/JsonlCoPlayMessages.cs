using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Results;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// Results on the results topic or hub (DESIGN.md "One world view"): a co-play is its JSONL object with <c>"v":1</c>
/// and <c>"shard":K</c>; a shard's watermark is <c>{"v":1,"watermark":MS,"shard":K,"shards":N,"counts":{"START":n}}</c>
/// (window starts in epoch ms), or with <c>"idle":true</c> and no counts. No line ends.
/// </summary>
/// <remarks>Keeps a scratch line: one instance per writer.</remarks>
internal sealed class JsonlCoPlayMessages : ICoPlayMessageFormat
{
    private readonly ArrayBufferWriter<byte> _line = new(512);

    public ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, CoPlay coPlay, int shard)
    {
        _line.ResetWrittenCount();
        CoPlayJsonl.Write(_line, coPlay);

        // {"v":1,"shard":K, then the JSONL object after its '{', without its line end.
        int start = buffer.WrittenCount;
        Span<byte> head = buffer.GetSpan(32);
        int n = Append(head, 0, "{\"v\":1,"u8);
        if (shard >= 0)
        {
            n = Append(head, n, "\"shard\":"u8);
            shard.TryFormat(head[n..], out int digits, provider: CultureInfo.InvariantCulture);
            n += digits;
            head[n++] = (byte)',';
        }

        buffer.Advance(n);
        buffer.Write(_line.WrittenSpan[1..^1]);
        return buffer.WrittenMemory[start..];
    }

    public ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, ShardWatermark watermark)
    {
        int start = buffer.WrittenCount;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v"u8, 1);
            json.WriteNumber("watermark"u8, watermark.WatermarkMs);
            if (watermark.Idle)
            {
                json.WriteBoolean("idle"u8, true);
            }

            json.WriteNumber("shard"u8, watermark.Shard);
            json.WriteNumber("shards"u8, watermark.Shards);
            if (!watermark.Idle)
            {
                json.WriteStartObject("counts"u8);
                foreach ((long windowStart, int count) in watermark.Counts.OrderBy(c => c.Key))
                {
                    json.WriteNumber(windowStart.ToString(CultureInfo.InvariantCulture), count);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.WrittenMemory[start..];
    }

    public bool TryRead(ReadOnlySpan<byte> payload, out ResultsMessage message)
    {
        message = default;
        if (!ResultsEnvelope.TryRead(payload, out ResultsEnvelope envelope))
        {
            return false;
        }

        if (envelope.WatermarkMs is long watermarkMs)
        {
            if (envelope.Shard is not int shard || envelope.Shards is not int shards)
            {
                return false;
            }

            message = ResultsMessage.Of(new ShardWatermark(shard, shards, watermarkMs, envelope.Idle, envelope.Counts ?? ShardWatermark.NoCounts));
            return true;
        }

        if (!CoPlayJsonlReader.TryParse(payload, out CoPlay? coPlay, out _))
        {
            return false;
        }

        message = ResultsMessage.Of(coPlay, envelope.Shard ?? ResultsMessage.UnknownShard);
        return true;
    }

    private static int Append(Span<byte> target, int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(target[at..]);
        return at + text.Length;
    }
}
