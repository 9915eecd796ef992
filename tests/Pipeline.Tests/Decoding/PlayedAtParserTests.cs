using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Pipeline.Tests.Decoding;

/// <summary>The playedAt parser on its own (the decoder tests cover it through JSON).</summary>
public class PlayedAtParserTests
{
    [Theory]
    [InlineData(946_684_799_999, false)]
    [InlineData(946_684_800_000, true)]
    [InlineData(4_102_444_799_999, true)]
    [InlineData(4_102_444_800_000, false)]
    [InlineData(long.MinValue, false)]
    [InlineData(long.MaxValue, false)]
    public void GivenEpochMillisAtTheRangeEdges_WhenChecked_ThenOnly2000To2100IsInRange(long ms, bool inRange)
    {
        Assert.Equal(inRange, PlayedAtParser.IsInRange(ms));
    }

    [Theory]
    [InlineData("2026-11-26T14:03:22.431Z", 1_795_701_802_431L)]
    [InlineData("2026-11-26T23:03:22.431+09:00", 1_795_701_802_431L)]
    [InlineData("2026-11-26T14:03:22.431+00:00x", null)]
    [InlineData("2026-11-26T14:03:22.431", null)]
    [InlineData("2026-11-26T14:03:22", null)]
    [InlineData("2026-11-26T14:03:2", null)]
    [InlineData("", null)]
    public void GivenText_WhenParsed_ThenItIsUtcMillisOrRejected(string text, long? expected)
    {
        bool parsed = PlayedAtParser.TryParseText(System.Text.Encoding.UTF8.GetBytes(text), out long ms);

        Assert.Equal(expected is not null, parsed);
        Assert.Equal(expected ?? 0, parsed ? ms : 0);
    }

    [Theory]
    [InlineData("1795701802431", 1_795_701_802_431L)]
    [InlineData("946684800000", 946_684_800_000L)]
    [InlineData("-946684800000", null)]
    [InlineData("", null)]
    [InlineData("-", null)]
    [InlineData("1e12", null)]
    [InlineData("1795701802431.0", null)]
    [InlineData("9999999999999999999", null)]
    public void GivenANumberToken_WhenParsedAsEpochMillis_ThenOnlyAnInRangeIntegerIsAccepted(string number, long? expected)
    {
        bool parsed = PlayedAtParser.TryParseEpochMillis(System.Text.Encoding.UTF8.GetBytes(number), out long ms);

        Assert.Equal(expected is not null, parsed);
        Assert.Equal(expected ?? 0, parsed ? ms : 0);
    }
}
