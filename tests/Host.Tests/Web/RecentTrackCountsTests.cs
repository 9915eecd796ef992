using ListeningTogether.Abstractions;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Web;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>The "right now" panel's counts: the tracks with the most co-plays of the recent windows, ties by track id.</summary>
public sealed class RecentTrackCountsTests
{
    private const long Window = 1_795_701_802_000;

    private readonly RecentTrackCounts _counts = new(Options.Create(new SiteOptions { RecentSeconds = 60 }));

    [Fact]
    public async Task GivenTracksWithTiedCounts_WhenTheTopIsAsked_ThenMostCoPlaysComeFirstAndTiesGoByTrackId()
    {
        await WriteAsync(Window, "spotify:track:c", "spotify:track:a", "spotify:track:b", "spotify:track:c", "spotify:track:d", "spotify:track:b");
        await WriteAsync(Window + 1000, "spotify:track:c", "spotify:track:e");

        Assert.Equal(
            [("spotify:track:c", 3), ("spotify:track:b", 2), ("spotify:track:a", 1)],
            _counts.Top(3));
    }

    [Fact]
    public async Task GivenFewerTracksThanAsked_WhenTheTopIsAsked_ThenEveryTrackComesInOrder()
    {
        await WriteAsync(Window, "spotify:track:z", "spotify:track:y", "spotify:track:z");

        Assert.Equal([("spotify:track:z", 2), ("spotify:track:y", 1)], _counts.Top(10));
        Assert.Empty(_counts.Top(0));
    }

    [Fact]
    public async Task GivenManyTracks_WhenTheTopIsAsked_ThenItIsTheSortedListsHead()
    {
        var random = new Random(7);
        string[] tracks = [.. Enumerable.Range(0, 5000).Select(_ => "spotify:track:" + random.Next(2000))];
        await WriteAsync(Window, tracks);

        (string, int)[] sorted = [.. tracks
            .GroupBy(t => t)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(t => t.Item2)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(10)];
        Assert.Equal(sorted, _counts.Top(10));
    }

    [Fact]
    public async Task GivenWindowsOlderThanTheRecentSpan_WhenALaterWindowArrives_ThenTheirCoPlaysNoLongerCount()
    {
        await WriteAsync(Window, "spotify:track:old", "spotify:track:old", "spotify:track:both");
        await WriteAsync(Window + 61_000, "spotify:track:both", "spotify:track:new");

        Assert.Equal([("spotify:track:both", 1), ("spotify:track:new", 1)], _counts.Top(10));
    }

    private ValueTask WriteAsync(long windowStartMs, params string[] trackIds) =>
        _counts.WriteAsync(
            [.. trackIds.Select(t => new CoPlay(windowStartMs, t, 2, 2, Plays.London, Plays.Linkoping, Plays.LondonLinkopingKm))],
            CancellationToken.None);
}
