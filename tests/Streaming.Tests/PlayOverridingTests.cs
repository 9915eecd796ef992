using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Streaming.Tests;

/// <summary>A transport's event time and id (Pub/Sub attributes) in place of the payload's, judged by the payload's rules.</summary>
public sealed class PlayOverridingTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"eventId\":\"from-payload\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}");

    private static (IneligibleReason Reason, string EventId, long PlayedAtMs) Apply(PlayOverrides overrides)
    {
        var decoder = new PlayDecoder();
        Assert.Equal(IneligibleReason.None, decoder.Decode(Payload, out PlayFields fields));
        IneligibleReason reason = PlayOverriding.Apply(ref fields, overrides);
        return (reason, Encoding.UTF8.GetString(fields.EventId), fields.PlayedAtMs);
    }

    [Fact]
    public void GivenAnAttributeTimeAndId_WhenApplied_ThenTheyReplaceThePayloads()
    {
        var result = Apply(new PlayOverrides(1_795_701_900_000, false, Encoding.UTF8.GetBytes("from-attribute")));

        Assert.Equal((IneligibleReason.None, "from-attribute", 1_795_701_900_000L), result);
    }

    [Fact]
    public void GivenNoOverrides_WhenApplied_ThenThePayloadsFieldsStand()
    {
        Assert.Equal((IneligibleReason.None, "from-payload", 1_795_701_802_431L), Apply(default));
    }

    [Fact]
    public void GivenAnInvalidAttributeTime_WhenApplied_ThenThePlayIsInvalidPlayedAt()
    {
        Assert.Equal(IneligibleReason.InvalidPlayedAt, Apply(new PlayOverrides(null, true, default)).Reason);
    }

    [Fact]
    public void GivenAnAttributeIdOver128CodePoints_WhenApplied_ThenThePlayIsInvalidEventId()
    {
        Assert.Equal(IneligibleReason.InvalidEventId, Apply(new PlayOverrides(null, false, Encoding.UTF8.GetBytes(new string('é', 129)))).Reason);
        Assert.Equal(IneligibleReason.None, Apply(new PlayOverrides(null, false, Encoding.UTF8.GetBytes(new string('é', 128)))).Reason);
    }
}
