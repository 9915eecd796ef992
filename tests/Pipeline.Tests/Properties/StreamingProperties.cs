using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>Streaming against the rule: equal within the allowed lateness; beyond it, late plays are counted and dropped.</summary>
public class StreamingProperties
{
    private const long TenDaysMs = 10L * 24 * 3600 * 1000;

    private sealed record StreamRun(List<CoPlay> CoPlays, long DistinctPlays, List<long> Windows, List<IneligibleReason> Outcomes);

    private static StreamRun Stream(IEnumerable<PlayCopy> arrival, int windowMs, long latenessMs, MatchingOptions options)
    {
        // The clock stands at the plays' time and the future guard is far away: this is about event time only.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(PlayGenerators.Second));
        var engine = new StreamingCoPlayEngine(new WindowAssigner(windowMs), latenessMs, idleFlushMs: windowMs + latenessMs, maxFutureSkewMs: TenDaysMs, options, clock);
        var emitted = new List<EmittedWindow>();
        var outcomes = new List<IneligibleReason>();
        foreach (PlayCopy play in arrival)
        {
            outcomes.Add(engine.Add(Encoding.UTF8.GetBytes(play.TrackId), Encoding.UTF8.GetBytes(play.EventId), play.PlayedAtMs, play.Place));
            engine.EmitReady(emitted);
        }

        engine.FlushAll(emitted);
        List<CoPlay> coPlays = [.. emitted.SelectMany(w => w.CoPlays)];
        coPlays.Sort(CoPlayOrder.Instance);
        return new StreamRun(coPlays, emitted.Sum(w => w.DistinctPlays), [.. emitted.Select(w => w.WindowStartMs)], outcomes);
    }

    /// <summary>Plays in event-time order, each then delayed by 0..lateness: no play arrives after one more than the lateness younger.</summary>
    private static Gen<(PlaysScenario Scenario, long LatenessMs, List<PlayCopy> Arrival)> WithinLateness { get; } =
        from s in PlayGenerators.Plays
        from latenessMs in Gen.Elements(0, 1, 499, 2000, 4000)
        from delays in Gen.ArrayOf(Gen.Choose(0, latenessMs), s.Plays.Count)
        let arrival = s.Plays
            .OrderBy(p => p.PlayedAtMs)
            .Select((p, i) => (Play: p, ArrivesAt: p.PlayedAtMs + delays[i]))
            .OrderBy(x => x.ArrivesAt)
            .Select(x => x.Play)
            .ToList()
        select (s, (long)latenessMs, arrival);

    [Property(MaxTest = 200)]
    public Property GivenDisorderWithinTheLateness_WhenStreamed_ThenTheEmittedCoPlaysAreTheRules() =>
        Prop.ForAll(Arb.From(WithinLateness), c =>
        {
            RuleResults rule = RuleResults.Of(c.Scenario.Plays, c.Scenario.WindowMs, c.Scenario.Options);

            StreamRun stream = Stream(c.Arrival, c.Scenario.WindowMs, c.LatenessMs, c.Scenario.Options);

            Assert.All(stream.Outcomes, o => Assert.Equal(IneligibleReason.None, o));
            Assert.Equal(rule.CoPlays, stream.CoPlays);
            Assert.Equal(rule.DistinctPlays, stream.DistinctPlays);
            Assert.Equal(rule.Windows, stream.Windows.Count);
            Assert.Equal(stream.Windows.Order(), stream.Windows); // each window once, in order
        });

    [Property(MaxTest = 200)]
    public Property GivenAnyDisorder_WhenStreamed_ThenPlaysBeyondTheLatenessAreLateAndTheRestGiveTheRules() =>
        Prop.ForAll(
            Arb.From(
                from s in PlayGenerators.Plays
                from latenessMs in Gen.Elements(0, 300, 1000)
                from arrival in Gen.Shuffle(s.Plays.ToArray())
                select (Scenario: s, LatenessMs: (long)latenessMs, Arrival: arrival)),
            c =>
            {
                var windows = new WindowAssigner(c.Scenario.WindowMs);
                long maxSeen = long.MinValue;
                var accepted = new List<PlayCopy>();
                var expected = new List<IneligibleReason>();
                foreach (PlayCopy play in c.Arrival)
                {
                    bool late = maxSeen != long.MinValue && windows.WindowEnd(windows.WindowStart(play.PlayedAtMs)) <= maxSeen - c.LatenessMs;
                    expected.Add(late ? IneligibleReason.Late : IneligibleReason.None);
                    if (!late)
                    {
                        accepted.Add(play);
                        maxSeen = Math.Max(maxSeen, play.PlayedAtMs);
                    }
                }

                StreamRun stream = Stream(c.Arrival, c.Scenario.WindowMs, c.LatenessMs, c.Scenario.Options);

                Assert.Equal(expected, stream.Outcomes);
                Assert.Equal(RuleResults.Of(accepted, c.Scenario.WindowMs, c.Scenario.Options).CoPlays, stream.CoPlays);
            });
}
