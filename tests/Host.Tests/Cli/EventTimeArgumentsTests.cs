using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Tests.Cli;

/// <summary><c>replay --from/--to</c>: ISO 8601 times, UTC unless they carry an offset, forming a non-empty [from, to).</summary>
public sealed class EventTimeArgumentsTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T10:00:00.000Z")]
    [InlineData("2026-11-26T10:00")]
    [InlineData("2026-11-26t10:00:00z")]
    [InlineData("2026-11-26T11:00:00+01:00")]
    [InlineData("2026-11-26T05:30:00-04:30")]
    public void GivenTheSameInstantWrittenInDifferentIsoForms_WhenParsed_ThenFromIsThatInstant(string from) =>
        Assert.Equal(Ten, EventTimeArguments.Parse(from, null).From);

    [Fact]
    public void GivenADateOnly_WhenParsed_ThenItIsMidnightUtc() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), EventTimeArguments.Parse(null, "2026-11-26").To);

    [Fact]
    public void GivenNeither_WhenParsed_ThenTheRangeIsEverything() =>
        Assert.True(EventTimeArguments.Parse(null, null).IsAll);

    [Theory]
    [InlineData("11/26/2026 10:00")]
    [InlineData("yesterday")]
    [InlineData("2026-11-26 10:00:00")]
    [InlineData("2026-11-31T10:00:00Z")]
    public void GivenTextThatIsNoIsoTime_WhenParsed_ThenTheErrorNamesTheOptionAndShowsTheForm(string text)
    {
        var e = Assert.Throws<SettingsException>(() => EventTimeArguments.Parse(null, text));

        Assert.Equal($"--to '{text}' is not an ISO 8601 time (say 2026-11-26T09:00:00Z; without an offset it is UTC).", e.Message);
    }

    [Theory]
    [InlineData("2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T10:00:00Z", "2026-11-26T11:00:00+02:00")]
    public void GivenFromNotBeforeTo_WhenParsed_ThenTheEmptyRangeIsRefused(string from, string to)
    {
        var e = Assert.Throws<SettingsException>(() => EventTimeArguments.Parse(from, to));

        Assert.Equal($"--from {from} must be before --to {to}: the range [from, to) would be empty.", e.Message);
    }
}
