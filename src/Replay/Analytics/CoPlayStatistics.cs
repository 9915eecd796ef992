using System.Runtime.InteropServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Output;

namespace ListeningTogether.Replay.Analytics;

/// <summary>
/// The summary's top lists and per-minute counts, gathered while co-plays stream out in result order (window,
/// then track), so that a replay and a merge of its hours see them in the same order and agree to the byte.
/// Memory holds one entry per distinct co-played track, per distinct city pair (two ids and two counts), per city
/// and per minute with plays: bounded by the catalog, the places and the time range, never by the number of plays
/// or co-plays. Not thread-safe.
/// </summary>
public sealed class CoPlayStatistics
{
    /// <summary>How many tracks and city pairs the top lists hold.</summary>
    public const int TopCount = 20;

    private const long MinuteMs = 60_000;

    private readonly Dictionary<string, Counts> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<(long A, long B), Counts> _pairs = [];
    private readonly Dictionary<long, Location> _places = [];
    private readonly Dictionary<long, Counts> _minutes = [];

    /// <summary>Takes co-plays in result order.</summary>
    public void Add(IReadOnlyList<CoPlay> coPlays)
    {
        foreach (CoPlay coPlay in coPlays)
        {
            Add(coPlay);
        }
    }

    public void Add(CoPlay coPlay)
    {
        ref Counts track = ref CollectionsMarshal.GetValueRefOrAddDefault(_tracks, coPlay.TrackId, out _);
        track.CoPlays++;
        track.Plays += coPlay.Plays;

        ref Counts pair = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairs, (coPlay.A.GeonameId, coPlay.B.GeonameId), out _);
        pair.CoPlays++;
        pair.Plays += coPlay.Plays;

        // A city's first co-play gives its name and coordinates (which vary by network), once for all its pairs.
        _places.TryAdd(coPlay.A.GeonameId, coPlay.A);
        _places.TryAdd(coPlay.B.GeonameId, coPlay.B);

        CollectionsMarshal.GetValueRefOrAddDefault(_minutes, MinuteOf(coPlay.WindowStartMs), out _).CoPlays++;
    }

    /// <summary>Adds distinct eligible plays of windows that start in the minute starting at <paramref name="minuteStartMs"/>.</summary>
    public void AddEligiblePlays(long minuteStartMs, long plays)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_minutes, MinuteOf(minuteStartMs), out _).Plays += plays;
    }

    /// <summary>The tracks with the most co-plays, then the most plays in them, then by track id (UTF-8 order).</summary>
    public IReadOnlyList<TrackTotal> TopTracks() =>
    [
        .. _tracks
            .Select(t => new TrackTotal(t.Key, t.Value.CoPlays, t.Value.Plays))
            .OrderByDescending(t => t.CoPlays)
            .ThenByDescending(t => t.Plays)
            .ThenBy(t => t.TrackId, Utf8Order.Instance)
            .Take(TopCount),
    ];

    /// <summary>
    /// The city pairs with the most co-plays, then the most plays in them, then the smaller GeoNames ids; each city as
    /// in its first co-play, the distance between those two places.
    /// </summary>
    public IReadOnlyList<CityPairTotal> TopCityPairs() =>
    [
        .. _pairs
            .OrderByDescending(p => p.Value.CoPlays)
            .ThenByDescending(p => p.Value.Plays)
            .ThenBy(p => p.Key.A)
            .ThenBy(p => p.Key.B)
            .Take(TopCount)
            .Select(p => Pair(_places[p.Key.A], _places[p.Key.B], p.Value)),
    ];

    /// <summary>Every minute with eligible plays (or co-plays), in time order.</summary>
    public IReadOnlyList<MinuteTotal> PerMinute() =>
        [.. _minutes.OrderBy(m => m.Key).Select(m => new MinuteTotal(m.Key, m.Value.Plays, m.Value.CoPlays))];

    private static CityPairTotal Pair(Location a, Location b, Counts counts) =>
        new(a, b, Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon), counts.CoPlays, counts.Plays);

    private static long MinuteOf(long ms) => ms - (((ms % MinuteMs) + MinuteMs) % MinuteMs);

    private struct Counts
    {
        public long CoPlays;
        public long Plays;
    }

    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) => CoPlayOrder.CompareUtf8(x!, y!);
    }
}
