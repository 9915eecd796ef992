using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;
using ListeningTogether.Pipeline.Tests.Fixtures;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Matching;

/// <summary>DESIGN.md "Co-play", one rule per test, on one (window, track) group: each the rule's result and the fast matcher's alike.</summary>
public class CoPlayRuleTests
{
    private const long Window = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const string Track = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";

    private static EligiblePlay Play(string eventId, Location at, long offsetMs = 0) => new(eventId, Window + offsetMs, at);

    private static EligiblePlay[] Group(params EligiblePlay[] plays) => plays;

    /// <summary>The rule's co-play, once the fast matcher has given the same co-play and the same number of plays.</summary>
    private static CoPlay? Match(EligiblePlay[] group, double minDistanceKm = 100, int maxLocations = 256)
    {
        var options = new MatchingOptions(minDistanceKm, maxLocations);
        CoPlay? coPlay = CoPlayRule.Match(Window, Track, group, options);

        Assert.Equal(coPlay, new CoPlayMatcher(options).Match(FastGroups.Of(Window, Track, group), out int distinctPlays));
        Assert.Equal(CoPlayRule.DistinctPlays(group).Count, distinctPlays);
        return coPlay;
    }

    private static double Km(Location a, Location b) => Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon);

    [Fact]
    public void GivenPlaysInOsakaAndLima_WhenMatched_ThenOneCoPlayPairsThem()
    {
        CoPlay? coPlay = Match(Group(Play("e-1", Osaka, 431), Play("e-2", Lima, 999)));

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Osaka, Lima, 15880.568708446039), coPlay);
    }

    [Fact]
    public void GivenLimaArrivesBeforeOsaka_WhenMatched_ThenAIsTheSmallerGeonameId()
    {
        CoPlay? coPlay = Match(Group(Play("e-1", Lima), Play("e-2", Osaka)));

        Assert.Equal(Osaka, coPlay!.A); // 1853909 < 3936456
        Assert.Equal(Lima, coPlay.B);
    }

    [Fact]
    public void GivenARedeliveredDuplicate_WhenMatched_ThenItCountsOnce()
    {
        EligiblePlay[] group = Group(Play("e-1", Osaka, 5), Play("e-1", Osaka, 5), Play("e-2", Lima, 7), Play("e-1", Osaka, 5));

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Osaka, Lima, Km(Osaka, Lima)), Match(group));
        Assert.Equal(2, CoPlayRule.DistinctPlays(group).Count);
    }

    [Fact]
    public void GivenSeveralPlaysPerPlace_WhenMatched_ThenPlaysCountsEventIdsAndLocationsCountsPlaces()
    {
        EligiblePlay[] group = Group(
            Play("osaka-1", Osaka), Play("osaka-2", Osaka), Play("osaka-3", Osaka),
            Play("lima-1", Lima), Play("london-1", London), Play("london-2", London), Play("london-1", London));

        CoPlay? coPlay = Match(group);

        Assert.Equal(6, coPlay!.Plays);
        Assert.Equal(3, coPlay.Locations);
    }

    [Fact]
    public void GivenCopiesOfOneEventInDifferentCities_WhenMatched_ThenTheCopyWithTheSmallestGeonameIdStands()
    {
        // e-1 says Lima (3936456) in one copy and Osaka (1853909) in the other: Osaka stands, so Lima has no play.
        EligiblePlay[] group = Group(Play("e-1", Lima, 1), Play("e-1", Osaka, 900), Play("e-2", London, 2));

        CoPlay? coPlay = Match(group);

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Osaka, London, Km(Osaka, London)), coPlay);
    }

    [Fact]
    public void GivenCopiesOfOneEventInOneCityAtDifferentTimes_WhenMatched_ThenTheEarlierCopyStandsAndGivesItsCoordinates()
    {
        Location osakaNorth = Osaka.Elsewhere(35.0, 135.5);
        Location osakaSouth = Osaka.Elsewhere(34.5, 135.5);
        Location osakaWest = Osaka.Elsewhere(34.7, 135.0);
        // e-1's copy at +100 stands over its copy at +500; so e-1 (+100) is Osaka's earliest play, not e-2 (+300).
        EligiblePlay[] group = Group(Play("e-1", osakaNorth, 500), Play("e-2", osakaSouth, 300), Play("e-1", osakaWest, 100), Play("e-3", Lima, 0));

        CoPlay? coPlay = Match(group);

        Assert.Equal(new CoPlay(Window, Track, 3, 2, osakaWest, Lima, Km(osakaWest, Lima)), coPlay);
    }

    [Fact]
    public void GivenCopiesOfOneEventDifferingOnlyInLatitude_WhenMatched_ThenTheSmallerLatitudeStands()
    {
        Location higher = Osaka.Elsewhere(34.70, 135.5);
        Location lower = Osaka.Elsewhere(34.69, 135.5);

        CoPlay? coPlay = Match(Group(Play("e-1", higher, 10), Play("e-1", lower, 10), Play("e-2", Lima, 10)));

        Assert.Equal(lower, coPlay!.A);
    }

    [Fact]
    public void GivenCopiesOfOneEventDifferingOnlyInLongitude_WhenMatched_ThenTheSmallerLongitudeStands()
    {
        Location eastern = Osaka.Elsewhere(34.7, 135.51);
        Location western = Osaka.Elsewhere(34.7, 135.49);

        CoPlay? coPlay = Match(Group(Play("e-1", eastern, 10), Play("e-2", Lima, 10), Play("e-1", western, 10)));

        Assert.Equal(western, coPlay!.A);
    }

    [Fact]
    public void GivenOneCityAtSeveralCoordinates_WhenMatched_ThenItTakesThoseOfItsEarliestPlayNotTheFirstToArrive()
    {
        Location first = Osaka.Elsewhere(34.60, 135.40);
        Location earliest = Osaka.Elsewhere(34.65, 135.45);
        Location sameTimeLargerId = Osaka.Elsewhere(34.75, 135.55);

        EligiblePlay[] group = Group(
            Play("e-b", first, 700),
            Play("e-c", sameTimeLargerId, 200),
            Play("e-lima", Lima, 100),
            Play("e-a", earliest, 200));

        Assert.Equal(new CoPlay(Window, Track, 4, 2, earliest, Lima, Km(earliest, Lima)), Match(group));
    }

    [Fact]
    public void GivenEqualEarliestTimes_WhenMatched_ThenTheOrdinallySmallerEventIdGivesTheCoordinates()
    {
        Location ofE10 = Osaka.Elsewhere(34.60, 135.40);
        Location ofE9 = Osaka.Elsewhere(34.80, 135.60);

        // Ordinally "e-10" < "e-9".
        CoPlay? coPlay = Match(Group(Play("e-9", ofE9, 50), Play("e-10", ofE10, 50), Play("lima", Lima, 0)));

        Assert.Equal(ofE10, coPlay!.A);
    }

    [Fact]
    public void GivenEqualEarliestTimesAndEventIdsThatUtf16AndUtf8OrderDifferently_WhenMatched_ThenTheirUtf8OrderGivesTheCoordinates()
    {
        Location ofPrivateUse = Osaka.Elsewhere(34.60, 135.40);
        Location ofEmoji = Osaka.Elsewhere(34.80, 135.60);

        // UTF-8 (code point order): U+E000 < U+1F600; UTF-16 would put the emoji's surrogates (U+D83D) first.
        CoPlay? coPlay = Match(Group(Play("e-😀", ofEmoji, 50), Play("e-\uE000", ofPrivateUse, 50), Play("lima", Lima, 0)));

        Assert.Equal(ofPrivateUse, coPlay!.A);
    }

    [Fact]
    public void GivenTheSameCityTwiceAtFarApartCoordinates_WhenMatched_ThenThereIsNoCoPlay()
    {
        // Two plays are at the same place when their geoname ids are equal, whatever the coordinates.
        EligiblePlay[] group = Group(Play("e-1", Osaka), Play("e-2", Osaka.Elsewhere(-12.0432, -77.0282)));

        Assert.Null(Match(group));
    }

    [Fact]
    public void GivenASingleLocation_WhenMatched_ThenThereIsNoCoPlay()
    {
        Assert.Null(Match(Group(Play("e-1", Lima), Play("e-2", Lima), Play("e-2", Lima))));
    }

    [Fact]
    public void GivenAnEmptyGroup_WhenMatched_ThenThereIsNoCoPlayAndNoPlay()
    {
        EligiblePlay[] group = Group();

        Assert.Null(Match(group));
        Assert.Empty(CoPlayRule.DistinctPlays(group));
    }

    [Fact]
    public void GivenLondonAndReading59KmApart_WhenMatchedWithTheDefault100Km_ThenThereIsNoCoPlay()
    {
        Assert.Null(Match(Group(Play("e-1", London), Play("e-2", Reading))));
    }

    [Fact]
    public void GivenPlacesExactlyMinDistanceKmApart_WhenMatched_ThenTheyQualify()
    {
        double exactly = Haversine.DistanceKm(London.Lat, London.Lon, Reading.Lat, Reading.Lon);

        CoPlay? coPlay = Match(Group(Play("e-1", London), Play("e-2", Reading)), minDistanceKm: exactly);

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Reading, London, exactly), coPlay); // Reading 2639577 < London 2643743
    }

    [Fact]
    public void GivenPlacesOneUlpCloserThanMinDistanceKm_WhenMatched_ThenTheyDoNotQualify()
    {
        double exactly = Haversine.DistanceKm(London.Lat, London.Lon, Reading.Lat, Reading.Lon);

        Assert.Null(Match(Group(Play("e-1", London), Play("e-2", Reading)), minDistanceKm: Math.BitIncrement(exactly)));
    }

    [Fact]
    public void GivenSevenCities_WhenMatched_ThenTheFarthestPairIsChosen()
    {
        EligiblePlay[] group = Group(
            Play("e-1", London), Play("e-2", Paris), Play("e-3", Osaka), Play("e-4", Lima), Play("e-5", Madrid), Play("e-6", Auckland), Play("e-7", Sydney));

        // Madrid-Auckland, 19596.6 km, beats Paris-Auckland (18545.8) and London-Auckland (18335.9).
        Assert.Equal(new CoPlay(Window, Track, 7, 7, Auckland, Madrid, 19596.61784397411), Match(group)); // 2193733 < 3117735
    }

    [Fact]
    public void GivenAFarPairThatIsNotTheFarthest_WhenMatched_ThenOnlyTheFarthestIsEmitted()
    {
        // Osaka-Tokyo (396 km) qualifies too, but Lima is farther from both.
        CoPlay? coPlay = Match(Group(Play("e-1", Osaka), Play("e-2", Tokyo), Play("e-3", Lima)));

        Assert.Equal((Osaka, Lima), (coPlay!.A, coPlay.B)); // Lima-Osaka 15880.6 km > Lima-Tokyo 15492.3 km
    }

    [Fact]
    public void GivenTwoPairsAtEqualDistanceDifferingInA_WhenMatched_ThenTheSmallerAGeonameIdWins()
    {
        // A city at Osaka's coordinates with an id above Lima's: (Osaka, Lima) and (Lima, OsakaTwin) are equally far.
        Location osakaTwin = new(9_000_001, "Osaka Twin", "JP", Osaka.Lat, Osaka.Lon);

        CoPlay? coPlay = Match(Group(Play("e-1", osakaTwin), Play("e-2", Lima), Play("e-3", Osaka)));

        Assert.Equal(new CoPlay(Window, Track, 3, 3, Osaka, Lima, Km(Osaka, Lima)), coPlay);
    }

    [Fact]
    public void GivenTwoPairsAtEqualDistanceSharingA_WhenMatched_ThenTheSmallerBGeonameIdWins()
    {
        Location twinOne = new(9_000_001, "Osaka One", "JP", Osaka.Lat, Osaka.Lon);
        Location twinTwo = new(9_000_002, "Osaka Two", "JP", Osaka.Lat, Osaka.Lon);

        CoPlay? coPlay = Match(Group(Play("e-1", twinTwo), Play("e-2", twinOne), Play("e-3", Lima)));

        Assert.Equal(new CoPlay(Window, Track, 3, 3, Lima, twinOne, Km(Lima, twinOne)), coPlay);
    }

    [Fact]
    public void GivenDistinctCitiesAtTheSameCoordinates_WhenMatchedWithAZeroMinimum_ThenTheyPairAtZeroKm()
    {
        Location osakaTwin = new(9_000_001, "Osaka Twin", "JP", Osaka.Lat, Osaka.Lon);

        CoPlay? coPlay = Match(Group(Play("e-1", osakaTwin), Play("e-2", Osaka)), minDistanceKm: 0);

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Osaka, osakaTwin, 0), coPlay);
    }

    [Fact]
    public void Given257LocationsWhereTheFarthestHasFewestPlays_WhenMatched_ThenItIsCutAndLocationsCountsAll257()
    {
        // 255 neighbourhoods at London's coordinates (ids 1-255) and Paris with two plays each; Auckland with one.
        var plays = new List<EligiblePlay>();
        for (int id = 1; id <= 255; id++)
        {
            Location neighbourhood = new(id, $"London {id}", "GB", London.Lat, London.Lon);
            plays.Add(Play($"n{id}-a", neighbourhood));
            plays.Add(Play($"n{id}-b", neighbourhood));
        }

        plays.Add(Play("paris-a", Paris));
        plays.Add(Play("paris-b", Paris));
        plays.Add(Play("auckland", Auckland));

        CoPlay? coPlay = Match(Group([.. plays]));

        Location first = new(1, "London 1", "GB", London.Lat, London.Lon);
        Assert.Equal(new CoPlay(Window, Track, 513, 257, first, Paris, Km(first, Paris)), coPlay);
    }

    [Fact]
    public void Given257LocationsWithOnePlayEach_WhenMatched_ThenTheLargestGeonameIdIsCut()
    {
        // Ids 1-256 at London's coordinates but id 1 at Paris; id 257 in Auckland would pair farthest if it were kept.
        var plays = new List<EligiblePlay> { Play("p-1", new Location(1, "Paris", "FR", Paris.Lat, Paris.Lon)) };
        for (int id = 2; id <= 256; id++)
        {
            plays.Add(Play($"p-{id}", new Location(id, $"London {id}", "GB", London.Lat, London.Lon)));
        }

        plays.Add(Play("p-257", new Location(257, "Auckland", "NZ", Auckland.Lat, Auckland.Lon)));

        CoPlay? coPlay = Match(Group([.. plays]));

        Assert.Equal(new CoPlay(Window, Track, 257, 257, new Location(1, "Paris", "FR", Paris.Lat, Paris.Lon), new Location(2, "London 2", "GB", London.Lat, London.Lon), Km(Paris, London)), coPlay);
    }

    [Fact]
    public void GivenExactly256Locations_WhenMatched_ThenNoneIsCut()
    {
        var plays = new List<EligiblePlay>();
        for (int id = 1; id <= 255; id++)
        {
            plays.Add(Play($"p-{id}", new Location(id, $"London {id}", "GB", London.Lat, London.Lon)));
            plays.Add(Play($"q-{id}", new Location(id, $"London {id}", "GB", London.Lat, London.Lon)));
        }

        plays.Add(Play("auckland", Auckland));

        CoPlay? coPlay = Match(Group([.. plays]));

        Assert.Equal(new CoPlay(Window, Track, 511, 256, new Location(1, "London 1", "GB", London.Lat, London.Lon), Auckland, Km(London, Auckland)), coPlay);
    }

    [Fact]
    public void GivenASmallerMaxLocations_WhenMatched_ThenTheMostPlayedAreKept()
    {
        // Lima has one play; Osaka, London and Paris two: with MaxLocations 3 Lima is cut and Osaka-Paris is farthest.
        EligiblePlay[] group = Group(
            Play("o1", Osaka), Play("o2", Osaka), Play("l1", London), Play("l2", London), Play("p1", Paris), Play("p2", Paris), Play("lima", Lima));

        CoPlay? coPlay = Match(group, maxLocations: 3);

        Assert.Equal(new CoPlay(Window, Track, 7, 4, Osaka, Paris, Km(Osaka, Paris)), coPlay);
    }

    [Fact]
    public void GivenTheDefaultOptions_WhenRead_ThenTheyAreDesigns100KmAnd256Locations()
    {
        Assert.Equal(new MatchingOptions(100, 256), MatchingOptions.Default);
    }
}
