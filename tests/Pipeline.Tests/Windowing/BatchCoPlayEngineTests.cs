using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>Replay's engine: exact co-plays of a finite set of plays, per (window, track), in any order.</summary>
public class BatchCoPlayEngineTests
{
    private const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const string Hello = "spotify:track:hello";
    private const string World = "spotify:track:world";

    private readonly BatchCoPlayEngine _engine = new(new WindowAssigner(1000), new CoPlayMatcher(MatchingOptions.Default));

    private void Play(string track, string eventId, Location at, long atMs) =>
        _engine.Add(Encoding.UTF8.GetBytes(track), Encoding.UTF8.GetBytes(eventId), atMs, at);

    private static double Km(Location a, Location b) => Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon);

    [Fact]
    public void GivenPlaysOfTwoTracksInTwoWindows_WhenFinished_ThenCoPlaysAreSortedByWindowThenTrack()
    {
        Play(World, "w2-osaka", Osaka, Second + 1100);
        Play(World, "w2-lima", Lima, Second + 1900);
        Play(Hello, "w2-london", London, Second + 1000);
        Play(Hello, "w2-sydney", Sydney, Second + 1999);
        Play(World, "w1-paris", Paris, Second + 500);
        Play(World, "w1-tokyo", Tokyo, Second + 0);
        Play(Hello, "w1-madrid", Madrid, Second + 999);
        Play(Hello, "w1-auckland", Auckland, Second + 1);
        Play(Hello, "w1-auckland-2", Auckland, Second + 2);

        BatchResult result = _engine.Finish();

        Assert.Equal(
            [
                new CoPlay(Second, Hello, 3, 2, Auckland, Madrid, Km(Auckland, Madrid)),
                new CoPlay(Second, World, 2, 2, Tokyo, Paris, Km(Tokyo, Paris)),
                new CoPlay(Second + 1000, Hello, 2, 2, Sydney, London, Km(Sydney, London)),
                new CoPlay(Second + 1000, World, 2, 2, Osaka, Lima, Km(Osaka, Lima)),
            ],
            result.CoPlays);
        Assert.Equal(9, result.DistinctPlays);
        Assert.Equal(2, result.Windows);
    }

    [Fact]
    public void GivenPlaysAtX999AndXPlus1000_WhenFinished_ThenTheyAreInDifferentWindowsAndDoNotPair()
    {
        Play(Hello, "osaka", Osaka, Second + 999);
        Play(Hello, "lima", Lima, Second + 1000);

        BatchResult result = _engine.Finish();

        Assert.Empty(result.CoPlays);
        Assert.Equal(2, result.DistinctPlays);
        Assert.Equal(2, result.Windows);
    }

    [Fact]
    public void GivenPlaysAtX000AndX999_WhenFinished_ThenTheySharePlaysWindowAndPair()
    {
        Play(Hello, "osaka", Osaka, Second);
        Play(Hello, "lima", Lima, Second + 999);

        Assert.Equal([new CoPlay(Second, Hello, 2, 2, Osaka, Lima, Km(Osaka, Lima))], _engine.Finish().CoPlays);
    }

    [Fact]
    public void GivenCopiesOfOneEventInTwoWindows_WhenFinished_ThenEachIsAPlayOfItsOwnWindow()
    {
        Play(Hello, "e-1", Osaka, Second + 999);
        Play(Hello, "e-1", Lima, Second + 1000);
        Play(Hello, "e-2", Lima, Second + 10);
        Play(Hello, "e-3", Osaka, Second + 1010);

        BatchResult result = _engine.Finish();

        Assert.Equal(
            [
                new CoPlay(Second, Hello, 2, 2, Osaka, Lima, Km(Osaka, Lima)),
                new CoPlay(Second + 1000, Hello, 2, 2, Osaka, Lima, Km(Osaka, Lima)),
            ],
            result.CoPlays);
        Assert.Equal(4, result.DistinctPlays);
    }

    [Fact]
    public void GivenCopiesOfOneEventForTwoTracks_WhenFinished_ThenEachIsAPlayOfItsOwnTrack()
    {
        Play(Hello, "e-1", Osaka, Second + 1);
        Play(World, "e-1", Osaka, Second + 1);
        Play(Hello, "e-2", Lima, Second + 2);
        Play(World, "e-3", Lima, Second + 3);

        BatchResult result = _engine.Finish();

        Assert.Equal(
            [
                new CoPlay(Second, Hello, 2, 2, Osaka, Lima, Km(Osaka, Lima)),
                new CoPlay(Second, World, 2, 2, Osaka, Lima, Km(Osaka, Lima)),
            ],
            result.CoPlays);
        Assert.Equal(4, result.DistinctPlays);
    }

    [Fact]
    public void GivenTrackIdsThatUtf16AndUtf8OrderDifferently_WhenFinished_ThenTheUtf8OrderWins()
    {
        const string replacement = "track-\uFFFD";
        const string emoji = "track-😀";
        foreach (string track in new[] { emoji, replacement })
        {
            Play(track, track + "-osaka", Osaka, Second);
            Play(track, track + "-lima", Lima, Second);
        }

        Assert.Equal([replacement, emoji], _engine.Finish().CoPlays.Select(c => c.TrackId));
    }

    [Fact]
    public void GivenAFinishedEngine_WhenFinishedAgain_ThenNothingIsLeft()
    {
        Play(Hello, "osaka", Osaka, Second);
        Play(Hello, "lima", Lima, Second);
        Assert.Single(_engine.Finish().CoPlays);

        BatchResult again = _engine.Finish();

        Assert.Equal(new BatchResult([], 0, 0) with { CoPlays = again.CoPlays }, again);
        Assert.Empty(again.CoPlays);
    }
}
