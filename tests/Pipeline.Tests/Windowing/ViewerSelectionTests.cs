using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Windowing;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>DESIGN.md: viewers get at most maxPerSecond co-plays a second, chosen per window by distance, then plays, then trackId.</summary>
public class ViewerSelectionTests
{
    private const long Second = 1_795_701_802_000;

    private static CoPlay CoPlay(string track, double km, long plays, long windowStartMs = Second) => new(windowStartMs, track, plays, 2, Osaka, Lima, km);

    [Fact]
    public void GivenMoreCoPlaysThanTheCap_WhenSelected_ThenTheFarthestThenMostPlayedThenSmallestTrackIdsAreShown()
    {
        CoPlay[] window =
        [
            CoPlay("t-near", 500, 9),
            CoPlay("t-far", 15000, 2),
            CoPlay("t-b", 9000, 3),
            CoPlay("t-a", 9000, 3),
            CoPlay("t-busy", 9000, 7),
            CoPlay("t-😀", 9000, 3),
            CoPlay("t-\uFFFD", 9000, 3),
        ];

        IReadOnlyList<CoPlay> shown = new ViewerSelection(maxPerSecond: 6, windowMs: 1000).Select(Second, window);

        Assert.Equal(["t-far", "t-busy", "t-a", "t-b", "t-\uFFFD", "t-😀"], shown.Select(c => c.TrackId));
    }

    [Fact]
    public void GivenNoMoreCoPlaysThanTheCap_WhenSelected_ThenAllAreShown()
    {
        CoPlay[] window = [CoPlay("t-1", 100, 2), CoPlay("t-2", 200, 2)];

        Assert.Equal(window, new ViewerSelection(maxPerSecond: 20, windowMs: 1000).Select(Second, window));
    }

    [Fact]
    public void GivenAZeroCap_WhenSelected_ThenNothingIsShown()
    {
        Assert.Empty(new ViewerSelection(maxPerSecond: 0, windowMs: 1000).Select(Second, [CoPlay("t-1", 100, 2)]));
    }

    [Fact]
    public void GivenTwoSecondWindows_WhenSelected_ThenTwiceTheCapPerWindowIsShown()
    {
        CoPlay[] window = [.. Enumerable.Range(0, 50).Select(i => CoPlay($"t-{i:D2}", 1000 + i, 2))];

        Assert.Equal(40, new ViewerSelection(maxPerSecond: 20, windowMs: 2000).Select(Second, window).Count);
    }

    [Theory]
    [InlineData(2, 250)]  // half a co-play per window
    [InlineData(20, 10)]  // a fifth of a co-play per window
    [InlineData(3, 500)]  // one and a half per window
    public void GivenWindowsShorterThanOneCoPlaysShareOfASecond_WhenEverySecondsWindowIsSelected_ThenNoMoreThanMaxPerSecondAreShown(int maxPerSecond, int windowMs)
    {
        var selection = new ViewerSelection(maxPerSecond, windowMs);
        int shown = 0;
        for (long start = Second; start < Second + 1000; start += windowMs)
        {
            shown += selection.Select(start, [CoPlay("t-1", 15000, 2, start), CoPlay("t-2", 14000, 2, start), CoPlay("t-3", 13000, 2, start)]).Count;
        }

        Assert.True(shown <= maxPerSecond, $"{shown} co-plays shown in one second, at most {maxPerSecond} allowed");
    }
}
