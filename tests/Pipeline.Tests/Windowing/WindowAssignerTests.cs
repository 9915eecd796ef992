using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>Tumbling windows aligned to the Unix epoch: [N * size, (N + 1) * size), never spanning an hour.</summary>
public class WindowAssignerTests
{
    private const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z

    [Theory]
    [InlineData(1000, Second, Second)]
    [InlineData(1000, Second + 999, Second)]
    [InlineData(1000, Second + 1000, Second + 1000)]
    [InlineData(1000, Second - 1, Second - 1000)]
    [InlineData(1000, 0, 0)]
    [InlineData(1000, 999, 0)]
    [InlineData(1000, -1, -1000)]
    [InlineData(1000, -1000, -1000)]
    [InlineData(1000, -1001, -2000)]
    [InlineData(1, Second + 7, Second + 7)]
    [InlineData(250, Second + 749, Second + 500)]
    [InlineData(250, Second + 750, Second + 750)]
    [InlineData(60_000, Second, 1_795_701_780_000)]
    [InlineData(3_600_000, Second, 1_795_701_600_000)]
    [InlineData(3_600_000, 1_795_705_199_999, 1_795_701_600_000)]
    [InlineData(3_600_000, 1_795_705_200_000, 1_795_705_200_000)]
    public void GivenATime_WhenAssigned_ThenItsWindowStartIsTheEpochFloor(int windowMs, long playedAtMs, long windowStartMs)
    {
        var windows = new WindowAssigner(windowMs);

        Assert.Equal(windowStartMs, windows.WindowStart(playedAtMs));
        Assert.Equal(windowStartMs + windowMs, windows.WindowEnd(windowStartMs));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(7_000)]
    [InlineData(7_200_000)]
    [InlineData(3_600_001)]
    [InlineData(1_100)]
    public void GivenAWindowThatDoesNotDivideAnHour_WhenCreated_ThenItThrowsNamingWindowMs(int windowMs)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowAssigner(windowMs));

        Assert.Equal("windowMs", e.ParamName);
        Assert.Equal(
            $"WindowMs must divide 3,600,000 so that windows never span hours. (Parameter 'windowMs'){Environment.NewLine}Actual value was {windowMs}.",
            e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void GivenANonPositiveWindow_WhenCreated_ThenItThrows(int windowMs)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowAssigner(windowMs));

        Assert.Equal("windowMs", e.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    [InlineData(1_500)]
    [InlineData(3_600_000)]
    public void GivenAWindowThatDividesAnHour_WhenCreated_ThenItIsAccepted(int windowMs)
    {
        Assert.Equal(windowMs, new WindowAssigner(windowMs).WindowMs);
    }
}
