using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;
using ListeningTogether.Pipeline.Tests.Fixtures;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Matching.Fast;

/// <summary>What the fast matcher adds to the rule (see CoPlayRuleTests): scratch buffers reused, its settings checked.</summary>
public class CoPlayMatcherTests
{
    private const long Window = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const string Track = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";

    private static EligiblePlay Play(string eventId, Location at) => new(eventId, Window, at);

    private static TrackWindowGroup Group(params EligiblePlay[] plays) => FastGroups.Of(Window, Track, plays);

    [Fact]
    public void GivenOneMatcherReusedForAGroupAfterALargerOne_WhenMatched_ThenNothingOfTheFirstGroupRemains()
    {
        var matcher = new CoPlayMatcher(MatchingOptions.Default);
        TrackWindowGroup large = Group([.. Enumerable.Range(0, 40).Select(i => Play($"e-{i}", i % 2 == 0 ? Auckland : Madrid))]);
        Assert.NotNull(matcher.Match(large));

        CoPlay? coPlay = matcher.Match(Group(Play("e-1", Osaka), Play("e-2", Lima)));

        Assert.Equal(new CoPlay(Window, Track, 2, 2, Osaka, Lima, CoPlayRule.DistanceKm(Osaka, Lima)), coPlay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-1)]
    public void GivenMaxLocationsBelowTwo_WhenAMatcherIsCreated_ThenItThrows(int maxLocations)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoPlayMatcher(new MatchingOptions(100, maxLocations)));
    }
}
