namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class DailyRhythmTests(RealWorldFixture world)
{
    [Fact]
    public void GivenEveningInEastAsiaAndNightInTheAmericas_WhenSimulating_ThenEastAsiaGetsAMuchLargerShareThanTwelveHoursLater()
    {
        // 11:00 UTC is 19:00 at UTC+8 and 06:00 at UTC-5; 23:00 UTC is 07:00 and 18:00.
        double eastAsiaAt11 = EastAsiaShare(new DateTimeOffset(2026, 11, 26, 11, 0, 0, TimeSpan.Zero));
        double eastAsiaAt23 = EastAsiaShare(new DateTimeOffset(2026, 11, 26, 23, 0, 0, TimeSpan.Zero));
        Assert.True(eastAsiaAt11 > 1.5 * eastAsiaAt23, $"UTC+8 share {eastAsiaAt11:P1} at 11:00 UTC, {eastAsiaAt23:P1} at 23:00 UTC");
    }

    private double EastAsiaShare(DateTimeOffset start)
    {
        var cities = world.Cities;
        var plays = world.Simulator().Batch(50_000, start, TimeSpan.FromMinutes(10)).ToList();
        int eastAsia = plays.Count(p => cities.Cities[cities.IndexOf(p.GeonameId)].Lon is >= 112.5 and < 127.5);
        return eastAsia / (double)plays.Count;
    }
}
