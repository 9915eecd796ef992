using System.Text;
using Google.Protobuf.Collections;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>Event time and id from message attributes, as Beam's PubsubIO reads them.</summary>
public sealed class EventAttributesTests
{
    [Theory]
    [InlineData("1795701802431", 1_795_701_802_431L)]
    [InlineData("2026-11-26T14:03:22.431Z", 1_795_701_802_431L)]
    [InlineData("2026-11-26T14:03:22Z", 1_795_701_802_000L)]
    [InlineData("2026-11-26T15:03:22.4319+01:00", 1_795_701_802_431L)]
    [InlineData("2026-11-26t14:03:22.431Z", 1_795_701_802_431L)]
    public void GivenAValidTime_WhenParsed_ThenItIsEpochMillisecondsFloored(string text, long expected)
    {
        Assert.Equal(expected, EventAttributes.ParseTime(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1795701802431.5")]
    [InlineData("1999-12-31T23:59:59.999Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    [InlineData("99999999999999999999")]
    public void GivenAnInvalidOrOutOfRangeTime_WhenParsed_ThenItIsNull(string text)
    {
        Assert.Null(EventAttributes.ParseTime(text));
    }

    [Fact]
    public void GivenBothAttributes_WhenRead_ThenTheyBecomeOverrides()
    {
        var attributes = new MapField<string, string> { ["ts"] = "1795701802431", ["id"] = "e-1", ["other"] = "x" };

        PlayOverrides overrides = EventAttributes.Read(attributes, "ts", "id");

        Assert.Equal(1_795_701_802_431L, overrides.PlayedAtMs);
        Assert.False(overrides.InvalidPlayedAt);
        Assert.Equal("e-1", Encoding.UTF8.GetString(overrides.EventId.Span));
    }

    [Fact]
    public void GivenABadTimeAttribute_WhenRead_ThenTheOverrideSaysInvalid()
    {
        var attributes = new MapField<string, string> { ["ts"] = "soon" };

        PlayOverrides overrides = EventAttributes.Read(attributes, "ts", "id");

        Assert.Null(overrides.PlayedAtMs);
        Assert.True(overrides.InvalidPlayedAt);
        Assert.True(overrides.EventId.IsEmpty);
    }

    [Fact]
    public void GivenNoAttributeNamesConfigured_WhenRead_ThenThereAreNoOverrides()
    {
        var attributes = new MapField<string, string> { ["ts"] = "1795701802431", ["id"] = "e-1" };

        Assert.True(EventAttributes.Read(attributes, null, null).IsEmpty);
    }
}
