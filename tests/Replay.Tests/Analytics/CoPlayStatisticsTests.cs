using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Tests.Analytics;

/// <summary>The summary's top lists and per-minute counts: their order, ties, limits and what each number counts.</summary>
public sealed class CoPlayStatisticsTests
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    private static readonly Location OsakaElsewhere = new(1853909, "Osaka", "JP", 34.7, 135.5);
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location London = new(2643743, "London", "GB", 51.5142, -0.0931);
    private static readonly Location Sydney = new(2147714, "Sydney", "AU", -33.8688, 151.2093);

    private static CoPlay CoPlay(string track, int second, long plays, Location a, Location b, double distanceKm = 15_000) =>
        new(Nine.AddSeconds(second).ToUnixTimeMilliseconds(), track, plays, 2, a, b, distanceKm);

    [Fact]
    public void GivenTracksWithDifferentCoPlays_WhenRanked_ThenTheMostCoPlayedComesFirstWithItsPlaysSummed()
    {
        var statistics = new CoPlayStatistics();
        statistics.Add([CoPlay("one", 0, 9, Osaka, Lima), CoPlay("two", 0, 2, Osaka, Lima), CoPlay("two", 1, 3, Osaka, Lima)]);

        Assert.Equal([new TrackTotal("two", 2, 5), new TrackTotal("one", 1, 9)], statistics.TopTracks());
    }

    [Fact]
    public void GivenTracksTiedOnCoPlays_WhenRanked_ThenMorePlaysComeFirst()
    {
        var statistics = new CoPlayStatistics();
        statistics.Add([CoPlay("a", 0, 2, Osaka, Lima), CoPlay("b", 0, 7, Osaka, Lima), CoPlay("c", 0, 4, Osaka, Lima)]);

        Assert.Equal(["b", "c", "a"], statistics.TopTracks().Select(t => t.TrackId));
    }

    [Fact]
    public void GivenTracksTiedOnCoPlaysAndPlays_WhenRanked_ThenTrackIdsAreInTheOrderOfTheirUtf8Bytes()
    {
        // UTF-16 order would put U+1F600 (a surrogate pair, D83D...) before U+FF5E; UTF-8 order puts it last.
        string[] utf8Order = ["B", "b", "é", "\uFF5E", "\U0001F600"];
        var statistics = new CoPlayStatistics();
        foreach (string track in utf8Order.Reverse())
        {
            statistics.Add(CoPlay(track, 0, 2, Osaka, Lima));
        }

        Assert.Equal(utf8Order, statistics.TopTracks().Select(t => t.TrackId));
    }

    [Fact]
    public void GivenMoreThanTwentyTracks_WhenRanked_ThenTheTwentyStrongestAreKept()
    {
        var statistics = new CoPlayStatistics();
        for (int t = 0; t < 30; t++)
        {
            for (int second = 0; second <= t; second++)
            {
                statistics.Add(CoPlay($"track-{t:00}", second, 2, Osaka, Lima));
            }
        }

        IReadOnlyList<TrackTotal> top = statistics.TopTracks();

        Assert.Equal(CoPlayStatistics.TopCount, top.Count);
        Assert.Equal(Enumerable.Range(10, 20).Reverse().Select(t => $"track-{t:00}"), top.Select(t => t.TrackId));
        Assert.Equal(30, top[0].CoPlays);
    }

    [Fact]
    public void GivenPairsWithDifferentCoPlaysAndPlays_WhenRanked_ThenCoPlaysDecideThenPlays()
    {
        var statistics = new CoPlayStatistics();
        statistics.Add(
        [
            CoPlay("t1", 0, 10, Sydney, London),
            CoPlay("t2", 0, 2, Osaka, Lima),
            CoPlay("t3", 0, 2, Osaka, Lima),
            CoPlay("t4", 0, 3, London, Lima),
            CoPlay("t5", 1, 2, London, Lima),
        ]);

        Assert.Equal(
            [(London.GeonameId, Lima.GeonameId, 2L, 5L), (Osaka.GeonameId, Lima.GeonameId, 2L, 4L), (Sydney.GeonameId, London.GeonameId, 1L, 10L)],
            statistics.TopCityPairs().Select(p => (p.A.GeonameId, p.B.GeonameId, p.CoPlays, p.Plays)));
    }

    [Fact]
    public void GivenPairsTiedOnCoPlaysAndPlays_WhenRanked_ThenTheSmallerGeonameIdsComeFirst()
    {
        // Osaka 1853909 < Sydney 2147714 < London 2643743 < Lima 3936456.
        var statistics = new CoPlayStatistics();
        statistics.Add([CoPlay("t", 0, 2, Sydney, London), CoPlay("t", 1, 2, Osaka, Lima), CoPlay("t", 2, 2, Osaka, London), CoPlay("t", 3, 2, Osaka, Sydney)]);

        Assert.Equal(
            [(Osaka.GeonameId, Sydney.GeonameId), (Osaka.GeonameId, London.GeonameId), (Osaka.GeonameId, Lima.GeonameId), (Sydney.GeonameId, London.GeonameId)],
            statistics.TopCityPairs().Select(p => (p.A.GeonameId, p.B.GeonameId)));
    }

    [Fact]
    public void GivenACityThatComesWithOtherCoordinatesLater_WhenPairsAreRanked_ThenEachPairShowsItAsInItsFirstCoPlayWithTheDistanceBetweenThose()
    {
        var statistics = new CoPlayStatistics();
        statistics.Add([CoPlay("t", 0, 2, Osaka, London), CoPlay("t", 1, 3, OsakaElsewhere, Lima, 15_001), CoPlay("u", 1, 2, OsakaElsewhere, Lima, 15_001)]);

        CityPairTotal pair = statistics.TopCityPairs()[0];

        Assert.Equal(new CityPairTotal(Osaka, Lima, Haversine.DistanceKm(Osaka.Lat, Osaka.Lon, Lima.Lat, Lima.Lon), 2, 5), pair);
    }

    [Fact]
    public void GivenCoPlaysWithTheirPlaceIds_WhenRanked_ThenTheListsAreThoseOfTheCoPlaysAloneWithEachCityAsInItsFirstCoPlay()
    {
        CoPlay[] coPlays =
        [
            CoPlay("t", 0, 2, Osaka, London),
            CoPlay("t", 1, 3, OsakaElsewhere, Lima, 15_001),
            CoPlay("u", 1, 2, OsakaElsewhere, Lima, 15_001),
            CoPlay("u", 2, 4, London, Sydney),
            CoPlay("v", 2, 1, Osaka, Sydney),
        ];
        CoPlayPlaces[] places = [new(0, 1), new(2, 3), new(2, 3), new(1, 4), new(-1, 4)];
        var byCoPlay = new CoPlayStatistics();
        var withIds = new CoPlayStatistics();

        byCoPlay.Add(coPlays);
        withIds.Add(coPlays, places);

        Assert.Equal(byCoPlay.TopCityPairs(), withIds.TopCityPairs());
        Assert.Equal(byCoPlay.TopTracks(), withIds.TopTracks());
        Assert.Equal(byCoPlay.PerMinute(), withIds.PerMinute());
        Assert.Contains(withIds.TopCityPairs(), p => p.A == Osaka && p.B == Lima);
    }

    [Fact]
    public void GivenPlaysAndCoPlaysInSeveralMinutes_WhenSummarized_ThenEachMinuteHasItsOwnCountsInTimeOrder()
    {
        var statistics = new CoPlayStatistics();
        long nine = Nine.ToUnixTimeMilliseconds();
        statistics.AddEligiblePlays(nine + 120_000, 5);
        statistics.AddEligiblePlays(nine, 7);
        statistics.AddEligiblePlays(nine + 60_000, 0);
        statistics.AddEligiblePlays(nine, 3);
        statistics.Add([CoPlay("t", 0, 2, Osaka, Lima), CoPlay("u", 59, 2, Osaka, Lima), CoPlay("t", 120, 2, Osaka, Lima)]);

        Assert.Equal(
            [new MinuteTotal(nine, 10, 2), new MinuteTotal(nine + 60_000, 0, 0), new MinuteTotal(nine + 120_000, 5, 1)],
            statistics.PerMinute());
    }

    [Fact]
    public void GivenNoCoPlays_WhenSummarized_ThenTheListsAreEmpty()
    {
        var statistics = new CoPlayStatistics();

        Assert.Empty(statistics.TopTracks());
        Assert.Empty(statistics.TopCityPairs());
        Assert.Empty(statistics.PerMinute());
    }
}
