using System.Buffers;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Composition;
using ListeningTogether.Streaming.Results;

namespace ListeningTogether.Host.Tests.Composition;

/// <summary>Results on the results topic (DESIGN.md "One world view"): co-plays with their shard, watermarks with counts or idle, read back as written.</summary>
public sealed class JsonlCoPlayMessagesTests
{
    private const long T0 = 1_795_000_000_000;
    private static readonly CoPlay Example = new(T0, "spotify:track:7", 3, 2, new Location(1, "Lisbon", "PT", 38.7, -9.1), new Location(2, "Tokyo", "JP", 35.7, 139.7), 11_141.5);

    private readonly JsonlCoPlayMessages _format = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();

    [Fact]
    public void GivenACoPlayOfAShard_ThenItIsTheJsonlObjectWithVersionAndShardAndReadsBackWithBoth()
    {
        string text = Encoding.UTF8.GetString(_format.Write(_buffer, Example, 2).Span);

        Assert.StartsWith("{\"v\":1,\"shard\":2,\"windowStart\":\"", text, StringComparison.Ordinal);
        Assert.EndsWith("}", text, StringComparison.Ordinal);
        Assert.True(_format.TryRead(Encoding.UTF8.GetBytes(text), out ResultsMessage message));
        Assert.Equal((Example, 2), (message.CoPlay, message.Shard));
    }

    [Fact]
    public void GivenAWatermarkWithCounts_ThenItIsWrittenAsDesignSaysAndReadsBack()
    {
        var watermark = new ShardWatermark(1, 3, T0 + 2000, Idle: false, new Dictionary<long, int> { [T0 + 1000] = 4, [T0] = 2 });

        string text = Encoding.UTF8.GetString(_format.Write(_buffer, watermark).Span);

        Assert.Equal($"{{\"v\":1,\"watermark\":{T0 + 2000},\"shard\":1,\"shards\":3,\"counts\":{{\"{T0}\":2,\"{T0 + 1000}\":4}}}}", text);
        Assert.True(_format.TryRead(Encoding.UTF8.GetBytes(text), out ResultsMessage message));
        Assert.Equal((1, 3, T0 + 2000, false), (message.Watermark!.Shard, message.Watermark.Shards, message.Watermark.WatermarkMs, message.Watermark.Idle));
        Assert.Equal(watermark.Counts.OrderBy(c => c.Key), message.Watermark.Counts.OrderBy(c => c.Key));
    }

    [Fact]
    public void GivenAnIdleWatermark_ThenItCarriesIdleAndNoCounts()
    {
        string text = Encoding.UTF8.GetString(_format.Write(_buffer, new ShardWatermark(0, 2, T0, Idle: true, ShardWatermark.NoCounts)).Span);

        Assert.Equal($"{{\"v\":1,\"watermark\":{T0},\"idle\":true,\"shard\":0,\"shards\":2}}", text);
        Assert.True(_format.TryRead(Encoding.UTF8.GetBytes(text), out ResultsMessage message));
        Assert.True(message.Watermark!.Idle);
    }

    [Theory]
    [InlineData("{\"v\":1,\"watermark\":5}")]
    [InlineData("{\"v\":1,\"watermark\":\"soon\",\"shard\":0,\"shards\":1}")]
    [InlineData("{\"v\":1,\"watermark\":5,\"shard\":0,\"shards\":1,\"counts\":[1]}")]
    [InlineData("{\"v\":1,\"windowStart\":")]
    [InlineData("not json")]
    public void GivenAMessageThatIsNeither_ThenItIsNotRead(string payload)
    {
        Assert.False(_format.TryRead(Encoding.UTF8.GetBytes(payload), out _));
    }

    [Fact]
    public void GivenACoPlayFromAReplicaWithoutShard_ThenItReadsWithTheUnknownShard()
    {
        string text = Encoding.UTF8.GetString(_format.Write(_buffer, Example, ResultsMessage.UnknownShard).Span);

        Assert.StartsWith("{\"v\":1,\"windowStart\":", text, StringComparison.Ordinal);
        Assert.True(_format.TryRead(Encoding.UTF8.GetBytes(text), out ResultsMessage message));
        Assert.Equal(ResultsMessage.UnknownShard, message.Shard);
    }
}
