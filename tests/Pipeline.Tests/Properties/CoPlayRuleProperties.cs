using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>The co-play rule as properties: the matcher and the batch engine against the brute-force reference.</summary>
public class CoPlayRuleProperties
{
    private static TrackWindowGroup ToGroup(IEnumerable<PlayCopy> copies)
    {
        var group = new TrackWindowGroup(PlayGenerators.Second, Encoding.UTF8.GetBytes("spotify:track:a"));
        foreach (PlayCopy copy in copies)
        {
            group.Add(Encoding.UTF8.GetBytes(copy.EventId), copy.PlayedAtMs, copy.Place);
        }

        return group;
    }

    private static BatchResult Batch(IEnumerable<PlayCopy> plays, int windowMs, MatchingOptions options)
    {
        var engine = new BatchCoPlayEngine(new WindowAssigner(windowMs), new CoPlayMatcher(options));
        foreach (PlayCopy play in plays)
        {
            engine.Add(Encoding.UTF8.GetBytes(play.TrackId), Encoding.UTF8.GetBytes(play.EventId), play.PlayedAtMs, play.Place);
        }

        return engine.Finish();
    }

    private static void AssertSameResult(BatchResult expected, BatchResult actual)
    {
        Assert.Equal(expected.CoPlays, actual.CoPlays);
        Assert.Equal(expected.DistinctPlays, actual.DistinctPlays);
        Assert.Equal(expected.Windows, actual.Windows);
    }

    [Property(MaxTest = 300)]
    public Property GivenRandomGroups_WhenMatched_ThenTheResultIsTheReferenceRulesResult()
    {
        // One matcher per options, reused across cases, so leftovers in its scratch buffers would show.
        var matchers = new Dictionary<MatchingOptions, CoPlayMatcher>();
        return Prop.ForAll(Arb.From(PlayGenerators.Group), scenario =>
        {
            if (!matchers.TryGetValue(scenario.Options, out CoPlayMatcher? matcher))
            {
                matcher = new CoPlayMatcher(scenario.Options);
                matchers.Add(scenario.Options, matcher);
            }

            TrackWindowGroup group = ToGroup(scenario.Copies);

            CoPlay? expected = ReferenceCoPlayRule.Match(PlayGenerators.Second, "spotify:track:a", scenario.Copies, scenario.Options.MinDistanceKm, scenario.Options.MaxLocations);
            Assert.Equal(expected, matcher.Match(group));
            Assert.Equal(ReferenceCoPlayRule.DistinctPlays(scenario.Copies).Count, matcher.DistinctPlays(group));
        });
    }

    [Property(MaxTest = 300)]
    public Property GivenRandomGroupsWhoseEventIdsStayInTheCallersBytes_WhenMatched_ThenTheResultIsTheReferenceRulesResultWithThePointsOfItsPlaces()
    {
        var matcher = new CoPlayMatcher(MatchingOptions.Default);
        var batch = new PlayCopyBatch();
        return Prop.ForAll(Arb.From(PlayGenerators.Group), Arb.From(Gen.Elements(0L, PlayGenerators.Second)), (scenario, windowStartMs) =>
        {
            // A window start the copies do not fall in (0) takes the matcher's comparer path instead of its packed sort keys.
            byte[] bytes = [.. scenario.Copies.SelectMany(c => Encoding.UTF8.GetBytes("x" + c.EventId))];
            batch.Reset(bytes);
            var points = new Dictionary<Location, GeoPoint>();
            int start = 0;
            foreach (PlayCopy copy in scenario.Copies)
            {
                int length = Encoding.UTF8.GetByteCount(copy.EventId);
                if (!points.TryGetValue(copy.Place, out GeoPoint? point))
                {
                    // Numbered as a City database numbers its places: one point per distinct place.
                    points.Add(copy.Place, point = new GeoPoint(copy.Place, points.Count));
                }

                batch.Add(start + 1, length, copy.PlayedAtMs, point);
                start += length + 1;
            }

            CoPlay? expected = ReferenceCoPlayRule.Match(windowStartMs, "spotify:track:a", scenario.Copies, MatchingOptions.Default.MinDistanceKm, MatchingOptions.Default.MaxLocations);
            CoPlay? actual = matcher.Match(windowStartMs, "spotify:track:a"u8, batch, out int distinctPlays, out GeoPoint? a, out GeoPoint? b);
            Assert.Equal(expected, actual);
            Assert.Equal(ReferenceCoPlayRule.DistinctPlays(scenario.Copies).Count, distinctPlays);

            // The points of the co-play's places, whose place ids replay's output keeps.
            Assert.Same(actual is null ? null : points[actual.A], a);
            Assert.Same(actual is null ? null : points[actual.B], b);
        });
    }

    [Property(MaxTest = 100)]
    public Property GivenMoreThan256Locations_WhenMatched_ThenTheTop256AreKeptAsTheReferenceKeepsThem() =>
        Prop.ForAll(Arb.From(PlayGenerators.CrowdedGroup), scenario =>
        {
            CoPlay? expected = ReferenceCoPlayRule.Match(PlayGenerators.Second, "spotify:track:a", scenario.Copies, scenario.Options.MinDistanceKm, 256);

            CoPlay? actual = new CoPlayMatcher(scenario.Options).Match(ToGroup(scenario.Copies));

            Assert.Equal(expected, actual);
            Assert.True(actual is null || actual.Locations > 256);
        });

    [Property(MaxTest = 300)]
    public Property GivenPairsEquallyFarInExactArithmetic_WhenMatched_ThenTheDoubleHaversineAndTheIdTieBreakDecide() =>
        Prop.ForAll(Arb.From(PlayGenerators.NearTies), scenario =>
        {
            CoPlay? expected = ReferenceCoPlayRule.Match(PlayGenerators.Second, "spotify:track:a", scenario.Copies, 0, 256);

            Assert.Equal(expected, new CoPlayMatcher(scenario.Options).Match(ToGroup(scenario.Copies)));
        });

    [Property(MaxTest = 200)]
    public Property GivenPlaysInAnyOrder_WhenBatched_ThenTheResultIsTheSame() =>
        Prop.ForAll(
            Arb.From(PlayGenerators.Plays.SelectMany(s => Gen.Shuffle(s.Plays.ToArray()).Select(shuffled => (Scenario: s, Shuffled: shuffled)))),
            c => AssertSameResult(Batch(c.Scenario.Plays, c.Scenario.WindowMs, c.Scenario.Options), Batch(c.Shuffled, c.Scenario.WindowMs, c.Scenario.Options)));

    [Property(MaxTest = 200)]
    public Property GivenRedeliveredDuplicates_WhenBatched_ThenNothingChanges() =>
        Prop.ForAll(
            Arb.From(
                from s in PlayGenerators.Plays
                from redelivered in Gen.SubListOf(s.Plays.ToArray())
                from arrival in Gen.Shuffle(s.Plays.Concat(redelivered).Concat(redelivered).ToArray())
                select (Scenario: s, Arrival: arrival)),
            c => AssertSameResult(Batch(c.Scenario.Plays, c.Scenario.WindowMs, c.Scenario.Options), Batch(c.Arrival, c.Scenario.WindowMs, c.Scenario.Options)));

    [Property(MaxTest = 200)]
    public Property GivenRandomPlays_WhenBatched_ThenEveryCoPlayIsOrderedFarEnoughAndTheReferenceRulesResult() =>
        Prop.ForAll(Arb.From(PlayGenerators.Plays), s =>
        {
            BatchResult result = Batch(s.Plays, s.WindowMs, s.Options);

            Assert.All(result.CoPlays, c =>
            {
                Assert.True(c.A.GeonameId < c.B.GeonameId, $"{c.A.GeonameId} < {c.B.GeonameId}");
                Assert.True(c.DistanceKm >= s.Options.MinDistanceKm, $"{c.DistanceKm} >= {s.Options.MinDistanceKm}");
                Assert.Equal(Haversine.DistanceKm(c.A.Lat, c.A.Lon, c.B.Lat, c.B.Lon), c.DistanceKm);
                Assert.InRange(c.Locations, 2, c.Plays);
            });
            Assert.Equal(ReferenceCoPlayRule.MatchAll(s.Plays, s.WindowMs, s.Options.MinDistanceKm, s.Options.MaxLocations), result.CoPlays);
            Assert.Equal(
                s.Plays.GroupBy(p => (ReferenceCoPlayRule.FloorToWindow(p.PlayedAtMs, s.WindowMs), p.TrackId, p.EventId)).LongCount(),
                result.DistinctPlays);
            Assert.Equal(s.Plays.Select(p => ReferenceCoPlayRule.FloorToWindow(p.PlayedAtMs, s.WindowMs)).Distinct().LongCount(), result.Windows);
        });
}
