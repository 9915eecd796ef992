using ListeningTogether.Replay.Range;

namespace ListeningTogether.Replay.Tests.Range;

/// <summary>The half-open [from, to) event-time range of <c>--from</c>/<c>--to</c>.</summary>
public sealed class EventTimeRangeTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Eleven = Ten.AddHours(1);

    [Fact]
    public void GivenARange_WhenAskedAboutItsEdges_ThenFromIsInsideAndToIsNot()
    {
        var range = new EventTimeRange(Ten, Eleven);
        long ten = Ten.ToUnixTimeMilliseconds(), eleven = Eleven.ToUnixTimeMilliseconds();

        Assert.False(range.Contains(ten - 1));
        Assert.True(range.Contains(ten));
        Assert.True(range.Contains(eleven - 1));
        Assert.False(range.Contains(eleven));
    }

    [Fact]
    public void GivenOpenSides_WhenAskedAboutAnyTime_ThenOnlyTheGivenSideLimits()
    {
        var from = new EventTimeRange(Ten, null);
        var to = new EventTimeRange(null, Ten);

        Assert.True(from.Contains(long.MaxValue - 1));
        Assert.False(from.Contains(Ten.ToUnixTimeMilliseconds() - 1));
        Assert.True(to.Contains(0));
        Assert.False(to.Contains(Ten.ToUnixTimeMilliseconds()));
        Assert.True(EventTimeRange.All.IsAll);
        Assert.False(from.IsAll);
    }

    [Fact]
    public void GivenBoundsWithAFractionOfAMillisecond_WhenAskedAboutMilliseconds_ThenEachActsAsTheNextWholeMillisecond()
    {
        var range = new EventTimeRange(Ten.AddTicks(1), Eleven.AddTicks(1));
        long ten = Ten.ToUnixTimeMilliseconds(), eleven = Eleven.ToUnixTimeMilliseconds();

        Assert.False(range.Contains(ten));
        Assert.True(range.Contains(ten + 1));
        Assert.True(range.Contains(eleven));
        Assert.False(range.Contains(eleven + 1));
    }

    [Fact]
    public void GivenFromNotBeforeTo_WhenMade_ThenItIsRefusedAsEmpty()
    {
        var e = Assert.Throws<ArgumentException>(() => new EventTimeRange(Eleven, Ten));

        Assert.StartsWith("The range is empty: from (2026-11-26T11:00:00.0000000+00:00) must be before to (2026-11-26T10:00:00.0000000+00:00).", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 10, false)]
    [InlineData(9, 11, true)]
    [InlineData(10, 11, true)]
    [InlineData(11, 12, false)]
    public void GivenASpan_WhenAskedIfItOverlapsTenToEleven_ThenOnlyASharedMillisecondCounts(int fromHour, int toHour, bool overlaps)
    {
        var range = new EventTimeRange(Ten, Eleven);

        Assert.Equal(overlaps, range.Overlaps(Ten.AddHours(fromHour - 10).ToUnixTimeMilliseconds(), Ten.AddHours(toHour - 10).ToUnixTimeMilliseconds()));
    }
}
