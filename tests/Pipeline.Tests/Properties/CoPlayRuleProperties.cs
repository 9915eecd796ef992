using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;
using ListeningTogether.Pipeline.Tests.Fixtures;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>The fast matcher held equal to <see cref="CoPlayRule"/>, and the rule's own properties over many windows and tracks.</summary>
public class CoPlayRuleProperties
{
    private const string Track = "spotify:track:a";

    /// <summary>Groups of every kind the generators make: caps from 2 locations up, more than 256 locations, distance ties.</summary>
    private static Gen<GroupScenario> AnyGroup { get; } = Gen.Frequency(
        (6, PlayGenerators.Group),
        (1, PlayGenerators.CrowdedGroup),
        (3, PlayGenerators.NearTies));

    /// <summary>
    /// Both inputs of the fast matcher: a group's own arena (the streaming engine's) and copies whose event ids stay
    /// in the caller's bytes (replay's), which also gives the points of the co-play's places. A window start the
    /// copies do not fall in (0) takes its comparer instead of its packed sort keys.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property GivenAnyGroup_WhenMatchedFast_ThenTheCoPlayAndThePlayCountAreTheRules()
    {
        // One matcher per options, reused across cases, so leftovers in its scratch buffers would show.
        var matchers = new Dictionary<MatchingOptions, CoPlayMatcher>();
        var batch = new PlayCopyBatch();
        return Prop.ForAll(Arb.From(AnyGroup), Arb.From(Gen.Elements(PlayGenerators.Second, 0L)), (scenario, windowStartMs) =>
        {
            if (!matchers.TryGetValue(scenario.Options, out CoPlayMatcher? matcher))
            {
                matcher = new CoPlayMatcher(scenario.Options);
                matchers.Add(scenario.Options, matcher);
            }

            List<EligiblePlay> plays = [.. scenario.Copies.Select(c => c.Eligible)];
            CoPlay? expected = CoPlayRule.Match(windowStartMs, Track, plays, scenario.Options);
            int expectedPlays = CoPlayRule.DistinctPlays(plays).Count;

            Assert.Equal(expected, matcher.Match(FastGroups.Of(windowStartMs, Track, plays), out int distinctPlays));
            Assert.Equal(expectedPlays, distinctPlays);

            Dictionary<Location, GeoPoint> points = Fill(batch, plays);
            CoPlay? actual = matcher.Match(windowStartMs, Encoding.UTF8.GetBytes(Track), batch, out distinctPlays, out GeoPoint? a, out GeoPoint? b);
            Assert.Equal(expected, actual);
            Assert.Equal(expectedPlays, distinctPlays);
            Assert.Same(actual is null ? null : points[actual.A], a);
            Assert.Same(actual is null ? null : points[actual.B], b);
        });
    }

    /// <summary>Puts the plays in <paramref name="batch"/>, event ids in one byte array as replay's buffer holds them; returns each place's point.</summary>
    private static Dictionary<Location, GeoPoint> Fill(PlayCopyBatch batch, IEnumerable<EligiblePlay> plays)
    {
        var bytes = new List<byte>();
        var spans = new List<(int Start, int Length)>();
        foreach (EligiblePlay play in plays)
        {
            bytes.Add((byte)'x'); // so no event id starts at 0
            spans.Add((bytes.Count, Encoding.UTF8.GetByteCount(play.EventId)));
            bytes.AddRange(Encoding.UTF8.GetBytes(play.EventId));
        }

        batch.Reset([.. bytes]);
        var points = new Dictionary<Location, GeoPoint>();
        foreach (var (play, (start, length)) in plays.Zip(spans))
        {
            if (!points.TryGetValue(play.Location, out GeoPoint? point))
            {
                // Numbered as a City database numbers its places: one point per distinct place.
                points.Add(play.Location, point = new GeoPoint(play.Location, points.Count));
            }

            batch.Add(start, length, play.PlayedAtMs, point);
        }

        return points;
    }

    [Property(MaxTest = 200)]
    public Property GivenPlaysInAnyOrder_WhenTheRuleIsApplied_ThenTheResultIsTheSame() =>
        Prop.ForAll(
            Arb.From(PlayGenerators.Plays.SelectMany(s => Gen.Shuffle(s.Plays.ToArray()).Select(shuffled => (Scenario: s, Shuffled: shuffled)))),
            c => AssertSameResults(
                RuleResults.Of(c.Scenario.Plays, c.Scenario.WindowMs, c.Scenario.Options),
                RuleResults.Of(c.Shuffled, c.Scenario.WindowMs, c.Scenario.Options)));

    [Property(MaxTest = 200)]
    public Property GivenRedeliveredDuplicates_WhenTheRuleIsApplied_ThenNothingChanges() =>
        Prop.ForAll(
            Arb.From(
                from s in PlayGenerators.Plays
                from redelivered in Gen.SubListOf(s.Plays.ToArray())
                from arrival in Gen.Shuffle(s.Plays.Concat(redelivered).Concat(redelivered).ToArray())
                select (Scenario: s, Arrival: arrival)),
            c => AssertSameResults(
                RuleResults.Of(c.Scenario.Plays, c.Scenario.WindowMs, c.Scenario.Options),
                RuleResults.Of(c.Arrival, c.Scenario.WindowMs, c.Scenario.Options)));

    [Property(MaxTest = 200)]
    public Property GivenRandomPlays_WhenTheRuleIsApplied_ThenEveryCoPlayIsOrderedFarEnoughAndMeasuredByTheHaversine() =>
        Prop.ForAll(Arb.From(PlayGenerators.Plays), s =>
        {
            RuleResults result = RuleResults.Of(s.Plays, s.WindowMs, s.Options);

            Assert.All(result.CoPlays, c =>
            {
                Assert.True(c.A.GeonameId < c.B.GeonameId, $"{c.A.GeonameId} < {c.B.GeonameId}");
                Assert.True(c.DistanceKm >= s.Options.MinDistanceKm, $"{c.DistanceKm} >= {s.Options.MinDistanceKm}");
                Assert.Equal(Haversine.DistanceKm(c.A.Lat, c.A.Lon, c.B.Lat, c.B.Lon), c.DistanceKm);
                Assert.InRange(c.Locations, 2, c.Plays);
            });
            Assert.Equal(
                s.Plays.GroupBy(p => (RuleResults.FloorToWindow(p.PlayedAtMs, s.WindowMs), p.TrackId, p.EventId)).LongCount(),
                result.DistinctPlays);
        });

    private static void AssertSameResults(RuleResults expected, RuleResults actual)
    {
        Assert.Equal(expected.CoPlays, actual.CoPlays);
        Assert.Equal(expected.DistinctPlays, actual.DistinctPlays);
        Assert.Equal(expected.Windows, actual.Windows);
    }
}
