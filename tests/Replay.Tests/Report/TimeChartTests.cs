using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>The vertical scale of the report's charts: a round top value reached in two to five round steps (1, 2 or 5 times a power of ten).</summary>
public sealed class TimeChartTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(4, 4, 1)]
    [InlineData(7, 8, 2)]
    [InlineData(496, 600, 200)]
    [InlineData(2738, 3000, 1000)]
    [InlineData(1_000_000, 1_000_000, 500_000)]
    public void GivenAPeak_WhenScaled_ThenTheTopIsTheFirstRoundStepAtOrAboveIt(long peak, long top, long step)
    {
        (long max, long s) = TimeChart.Scale(peak);

        Assert.Equal((top, step), (max, s));
        Assert.True(max >= peak);
    }
}
