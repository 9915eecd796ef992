using System.Text;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>What a published play carries beside its payload: the trackId as ordering key, playedAt and eventId as attributes.</summary>
public sealed class PlayMessageShaperTests
{
    private static readonly byte[] Play = Encoding.UTF8.GetBytes(
        "{\"eventId\":\"e-1\",\"extra\":{\"trackId\":\"nested\"},\"trackId\":\"spotify:track:x\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}");

    [Fact]
    public void GivenTrackIdKeysAndBothAttributes_WhenAPlayIsShaped_ThenItCarriesThemAndThePayloadUnchanged()
    {
        PubSubOutgoingMessage message = new PlayMessageShaper(OrderingKeyUsage.TrackId, "ts", "id").Shape(Play);

        Assert.Equal("spotify:track:x", message.OrderingKey);
        Assert.Equal([new("ts", "2026-11-26T14:03:22.431Z"), new("id", "e-1")], message.Attributes!);
        Assert.Equal(Play, message.Payload.ToArray());
    }

    [Fact]
    public void GivenAnEpochMillisecondPlayedAt_WhenShaped_ThenTheAttributeIsItsDigits()
    {
        byte[] play = Encoding.UTF8.GetBytes("{\"eventId\":\"e-1\",\"trackId\":\"t\",\"playedAt\":1795701802431}");

        PubSubOutgoingMessage message = new PlayMessageShaper(OrderingKeyUsage.None, "ts", null).Shape(play);

        Assert.Null(message.OrderingKey);
        Assert.Equal([new("ts", "1795701802431")], message.Attributes!);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"eventId\":\"e-1\",\"trackId\":")]
    public void GivenAPayloadThatIsNotAPlay_WhenShaped_ThenItGoesOutBare(string payload)
    {
        PubSubOutgoingMessage message = new PlayMessageShaper(OrderingKeyUsage.TrackId, "ts", "id").Shape(Encoding.UTF8.GetBytes(payload));

        Assert.Null(message.OrderingKey);
        Assert.Null(message.Attributes);
    }

    [Fact]
    public void GivenNoKeyOrAttributeSettings_WhenShaped_ThenThePayloadIsNotEvenRead()
    {
        PubSubOutgoingMessage message = PlayMessageShaper.None.Shape(Play);

        Assert.Equal(new PubSubOutgoingMessage(message.Payload), message);
    }
}
