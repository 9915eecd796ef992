using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>The report's time axis: every minute while there are few, round bins of minutes beyond, never more than 1,440 points.</summary>
public sealed class MinuteBinsTests
{
    private static readonly long Midnight = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void GivenMinutesWithAGap_WhenBinned_ThenEveryMinuteFromFirstToLastIsThereWithZerosInTheGap()
    {
        MinuteBins bins = MinuteBins.Of([new MinuteTotal(Midnight, 5, 1), new MinuteTotal(Midnight + 180_000, 7, 2)]);

        Assert.Equal(1, bins.MinutesPerBin);
        Assert.Equal(
            [new MinuteBin(Midnight, 5, 1), new MinuteBin(Midnight + 60_000, 0, 0), new MinuteBin(Midnight + 120_000, 0, 0), new MinuteBin(Midnight + 180_000, 7, 2)],
            bins.Bins);
    }

    [Fact]
    public void GivenAWholeDay_WhenBinned_ThenEachOfItsMinutesIsOneBin()
    {
        MinuteBins bins = MinuteBins.Of([.. Enumerable.Range(0, 1440).Select(m => new MinuteTotal(Midnight + (m * 60_000L), m, 1))]);

        Assert.Equal(1, bins.MinutesPerBin);
        Assert.Equal(1440, bins.Bins.Count);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(30, 60)]
    [InlineData(365, 720)]
    [InlineData(3650, 4320)]
    public void GivenDaysOfMinutes_WhenBinned_ThenBinsAreRoundAndAtMost1440AndTheTotalsAreKept(int days, int minutesPerBin)
    {
        var minutes = Enumerable.Range(0, days).SelectMany(d => new[] { new MinuteTotal(Midnight + (d * 86_400_000L) + 60_000, 2, 1), new MinuteTotal(Midnight + (d * 86_400_000L) + 86_340_000, 3, 0) }).ToList();

        MinuteBins bins = MinuteBins.Of(minutes);

        Assert.Equal(minutesPerBin, bins.MinutesPerBin);
        Assert.InRange(bins.Bins.Count, 1, MinuteBins.MaxBins);
        Assert.Equal(5L * days, bins.Bins.Sum(b => b.EligiblePlays));
        Assert.Equal(days, bins.Bins.Sum(b => b.CoPlays));
        Assert.All(bins.Bins, b => Assert.Equal(0, b.StartMs % bins.BinMs));
    }

    [Fact]
    public void GivenNoMinutes_WhenBinned_ThenThereAreNoBins() => Assert.Empty(MinuteBins.Of([]).Bins);
}
