using ListeningTogether.Replay.Range;

namespace ListeningTogether.Replay.Tests.Range;

/// <summary>The archive's <c>dt=YYYY-MM-DD/hour=HH/</c> folders: the span they allow, and which files a range keeps.</summary>
public sealed class HourPartitionsTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private static string Archive(params string[] parts) => Path.Combine([Path.GetTempPath(), "archive", .. parts]);

    [Fact]
    public void GivenAFileInAnHourPartition_WhenItsSpanIsRead_ThenItIsThatHourOfThatDay()
    {
        Assert.True(HourPartitions.TryGetSpan(Archive("dt=2026-11-26", "hour=09", "part-0.parquet"), out long start, out long end));

        Assert.Equal(Day.AddHours(9).ToUnixTimeMilliseconds(), start);
        Assert.Equal(Day.AddHours(10).ToUnixTimeMilliseconds(), end);
    }

    [Fact]
    public void GivenAFileInADayPartitionWithoutAnHour_WhenItsSpanIsRead_ThenItIsTheWholeDay()
    {
        Assert.True(HourPartitions.TryGetSpan(Archive("dt=2026-11-26", "misc", "part-0.jsonl"), out long start, out long end));

        Assert.Equal(Day.ToUnixTimeMilliseconds(), start);
        Assert.Equal(Day.AddDays(1).ToUnixTimeMilliseconds(), end);
    }

    [Theory]
    [InlineData("plays", "part-0.parquet")]
    [InlineData("dt=2026-13-01", "part-0.parquet")]
    [InlineData("dt=26-11-2026", "part-0.parquet")]
    [InlineData("xdt=2026-11-26", "part-0.parquet")]
    public void GivenAFileOutsideValidPartitionFolders_WhenItsSpanIsRead_ThenThereIsNone(string folder, string file) =>
        Assert.False(HourPartitions.TryGetSpan(Archive(folder, file), out _, out _));

    [Theory]
    [InlineData("hour=24")]
    [InlineData("hour=9")]
    [InlineData("hour=ab")]
    public void GivenAnInvalidHourFolder_WhenItsSpanIsRead_ThenTheDayCounts(string hour)
    {
        Assert.True(HourPartitions.TryGetSpan(Archive("dt=2026-11-26", hour, "part-0.parquet"), out long start, out long end));

        Assert.Equal(86_400_000, end - start);
    }

    [Fact]
    public void GivenHoursOfADayAndAFileOutsideThePartitions_WhenPrunedToHalfPastNineToQuarterPastTen_ThenOnlyHoursNineAndTenAndTheOtherFileStay()
    {
        string[] files =
        [
            Archive("dt=2026-11-26", "hour=08", "a.parquet"),
            Archive("dt=2026-11-26", "hour=09", "a.parquet"),
            Archive("dt=2026-11-26", "hour=10", "a.parquet"),
            Archive("dt=2026-11-26", "hour=11", "a.parquet"),
            Archive("dt=2026-11-25", "hour=09", "a.parquet"),
            Archive("loose", "plays.jsonl"),
        ];
        var range = new EventTimeRange(Day.AddHours(9.5), Day.AddHours(10.25));

        Assert.Equal([files[1], files[2], files[5]], HourPartitions.Prune(files, range));
        Assert.Equal(files, HourPartitions.Prune(files, EventTimeRange.All));
    }
}
