using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.ScaleOut;

namespace ListeningTogether.Pipeline.Tests.ScaleOut;

/// <summary>DESIGN.md "Scale-out": the repartition message carries what matching needs and nothing personal.</summary>
public sealed class RepartitionMessageTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 26, 14, 3, 23, 5, TimeSpan.Zero);

    private static string Write(string eventId, string trackId, long playedAtMs, Location location)
    {
        using var message = new RepartitionMessage();
        return Encoding.UTF8.GetString(message.Write(Encoding.UTF8.GetBytes(eventId), Encoding.UTF8.GetBytes(trackId), playedAtMs, Received, location).Span);
    }

    [Fact]
    public void GivenAPlacedPlay_WhenWritten_ThenItIsDesignsShapeWithMillisecondTimes()
    {
        string json = Write("e-1", "spotify:track:x", 1_795_701_802_431, new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171));

        Assert.Equal(
            "{\"v\":1,\"eventId\":\"e-1\",\"trackId\":\"spotify:track:x\",\"playedAt\":\"2026-11-26T14:03:22.431Z\",\"receivedAt\":\"2026-11-26T14:03:23.005Z\"," +
            "\"location\":{\"geonameId\":1850147,\"city\":\"Tokyo\",\"country\":\"JP\",\"lat\":35.6895,\"lon\":139.69171}}",
            json);
    }

    [Theory]
    [InlineData("e\"quoted\\", "track/é/✓", null)]
    [InlineData("plain", "spotify:track:4uLU6hMCjMI75M1A2tKUQC", "São Paulo")]
    public void GivenAnyIdsAndCity_WhenWrittenAndRead_ThenTheyComeBackExactly(string eventId, string trackId, string? city)
    {
        var location = new Location(3448439, city, "BR", -23.5475, -46.63611);
        string json = Write(eventId, trackId, 946_684_800_000, location);
        var decoder = new RepartitionedPlayDecoder();

        Assert.True(decoder.TryDecode(Encoding.UTF8.GetBytes(json), out PlayFields fields, out GeoPoint? point));

        Assert.Equal(eventId, Encoding.UTF8.GetString(fields.EventId));
        Assert.Equal(trackId, Encoding.UTF8.GetString(fields.TrackId));
        Assert.Equal(946_684_800_000, fields.PlayedAtMs);
        Assert.Equal(location, point!.Location);
    }

    [Fact]
    public void GivenTwoPlaysFromOnePlace_WhenRead_ThenTheyShareOnePoint()
    {
        var decoder = new RepartitionedPlayDecoder();
        var osaka = new Location(1853909, "Osaka", "JP", 34.69374, 135.50218);
        Assert.True(decoder.TryDecode(Encoding.UTF8.GetBytes(Write("a", "t", 1_795_701_802_000, osaka)), out _, out GeoPoint? first));
        Assert.True(decoder.TryDecode(Encoding.UTF8.GetBytes(Write("b", "t", 1_795_701_802_001, osaka)), out _, out GeoPoint? second));
        Assert.True(decoder.TryDecode(Encoding.UTF8.GetBytes(Write("c", "t", 1_795_701_802_002, osaka with { Lat = 34.7 })), out _, out GeoPoint? moved));

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.NotSame(first, moved);
        Assert.Equal(34.7, moved!.Location.Lat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"v\":2,\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":\"2026-11-26T14:03:22.431Z\",\"location\":{\"geonameId\":1,\"city\":null,\"country\":\"JP\",\"lat\":1,\"lon\":2}}")]
    [InlineData("{\"v\":1,\"trackId\":\"t\",\"playedAt\":\"2026-11-26T14:03:22.431Z\",\"location\":{\"geonameId\":1,\"city\":null,\"country\":\"JP\",\"lat\":1,\"lon\":2}}")]
    [InlineData("{\"v\":1,\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":\"yesterday\",\"location\":{\"geonameId\":1,\"city\":null,\"country\":\"JP\",\"lat\":1,\"lon\":2}}")]
    [InlineData("{\"v\":1,\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}")]
    [InlineData("{\"v\":1,\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":\"2026-11-26T14:03:22.431Z\",\"location\":{\"geonameId\":1,\"city\":null,\"country\":\"JP\",\"lat\":1")]
    public void GivenAnythingButAVersionOneMessage_WhenRead_ThenItIsRefused(string json)
    {
        Assert.False(new RepartitionedPlayDecoder().TryDecode(Encoding.UTF8.GetBytes(json), out _, out _));
    }

    [Theory]
    [InlineData("", 0xcbf29ce484222325)]
    [InlineData("a", 0xaf63dc4c8601ec8c)]
    [InlineData("foobar", 0x85944171f73967e8)]
    public void GivenKnownInputs_WhenHashed_ThenTheyMatchTheFnv1a64Reference(string text, ulong expected)
    {
        Assert.Equal(expected, TrackShard.Fnv1a64(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void GivenManyTracks_WhenSharded_ThenEveryShardIsInRangeAndUsed()
    {
        int[] counts = new int[4];
        for (int i = 0; i < 4000; i++)
        {
            counts[TrackShard.Of(Encoding.UTF8.GetBytes($"spotify:track:{i}"), 4)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
        Assert.Equal(0, TrackShard.Of("anything"u8, 1));
    }
}
