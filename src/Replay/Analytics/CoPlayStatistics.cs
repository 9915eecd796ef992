using System.Runtime.InteropServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;

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
    private readonly CityPairCounts _pairs = new();
    private readonly Dictionary<long, Location> _places = [];
    private bool[] _placeSeen = new bool[1024];
    private readonly Dictionary<long, Counts> _minutes = [];

    // Co-plays come in window order: a minute's co-plays are counted here and added to _minutes when the next begins.
    private long _minute = long.MinValue;
    private long _minuteCoPlays;

    /// <summary>Takes co-plays in result order.</summary>
    public void Add(IReadOnlyList<CoPlay> coPlays)
    {
        foreach (CoPlay coPlay in coPlays)
        {
            Add(coPlay);
        }
    }

    /// <summary>
    /// Takes co-plays in result order with their places' ids (<see cref="CoPlayPlaces"/>): a place already seen is not
    /// looked up again among the cities.
    /// </summary>
    internal void Add(IReadOnlyList<CoPlay> coPlays, IReadOnlyList<CoPlayPlaces> places)
    {
        for (int i = 0; i < coPlays.Count; i++)
        {
            CoPlay coPlay = coPlays[i];
            AddCounts(coPlay);
            AddPlace(coPlay.A, places[i].A);
            AddPlace(coPlay.B, places[i].B);
        }
    }

    public void Add(CoPlay coPlay)
    {
        AddCounts(coPlay);
        AddPlace(coPlay.A, -1);
        AddPlace(coPlay.B, -1);
    }

    /// <summary>A city's first co-play gives its name and coordinates (which vary by network), once for all its pairs.</summary>
    private void AddPlace(Location place, int placeId)
    {
        if (placeId < 0)
        {
            _places.TryAdd(place.GeonameId, place);
            return;
        }

        if (placeId >= _placeSeen.Length)
        {
            Array.Resize(ref _placeSeen, Math.Max(placeId + 1, _placeSeen.Length * 2));
        }

        if (!_placeSeen[placeId])
        {
            // Its city may already have come with another place (other coordinates): the first one stays.
            _placeSeen[placeId] = true;
            _places.TryAdd(place.GeonameId, place);
        }
    }

    private void AddCounts(CoPlay coPlay)
    {
        ref Counts track = ref CollectionsMarshal.GetValueRefOrAddDefault(_tracks, coPlay.TrackId, out _);
        track.CoPlays++;
        track.Plays += coPlay.Plays;

        _pairs.Add(coPlay.A.GeonameId, coPlay.B.GeonameId, coPlay.Plays);

        long minute = MinuteOf(coPlay.WindowStartMs);
        if (minute != _minute)
        {
            AddMinuteCoPlays();
            _minute = minute;
        }

        _minuteCoPlays++;
    }

    /// <summary>Adds distinct eligible plays of windows that start in the minute starting at <paramref name="minuteStartMs"/>.</summary>
    public void AddEligiblePlays(long minuteStartMs, long plays)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_minutes, MinuteOf(minuteStartMs), out _).Plays += plays;
    }

    /// <summary>The tracks with the most co-plays, then the most plays in them, then by track id (UTF-8 order).</summary>
    public IReadOnlyList<TrackTotal> TopTracks() =>
        TopSelection.Of(_tracks.Select(t => new TrackTotal(t.Key, t.Value.CoPlays, t.Value.Plays)), TrackOrder.Instance, TopCount);

    /// <summary>
    /// The city pairs with the most co-plays, then the most plays in them, then the smaller GeoNames ids; each city as
    /// in its first co-play, the distance between those two places.
    /// </summary>
    public IReadOnlyList<CityPairTotal> TopCityPairs() =>
    [
        .. TopSelection.Of(_pairs.All(), PairOrder.Instance, TopCount)
            .Select(p => Pair(_places[p.A], _places[p.B], p)),
    ];

    /// <summary>Every minute with eligible plays (or co-plays), in time order.</summary>
    public IReadOnlyList<MinuteTotal> PerMinute()
    {
        AddMinuteCoPlays();
        return [.. _minutes.OrderBy(m => m.Key).Select(m => new MinuteTotal(m.Key, m.Value.Plays, m.Value.CoPlays))];
    }

    private void AddMinuteCoPlays()
    {
        if (_minuteCoPlays > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_minutes, _minute, out _).CoPlays += _minuteCoPlays;
            _minuteCoPlays = 0;
        }
    }

    private static CityPairTotal Pair(Location a, Location b, CityPairCount counts) =>
        new(a, b, Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon), counts.CoPlays, counts.Plays);

    private static long MinuteOf(long ms) => ms - (((ms % MinuteMs) + MinuteMs) % MinuteMs);

    private struct Counts
    {
        public long CoPlays;
        public long Plays;
    }

    /// <summary>Most co-plays, then most plays, then track id in UTF-8 order.</summary>
    private sealed class TrackOrder : IComparer<TrackTotal>
    {
        public static readonly TrackOrder Instance = new();

        public int Compare(TrackTotal? x, TrackTotal? y)
        {
            int c = y!.CoPlays.CompareTo(x!.CoPlays);
            c = c != 0 ? c : y.Plays.CompareTo(x.Plays);
            return c != 0 ? c : CoPlayOrder.CompareUtf8(x.TrackId, y.TrackId);
        }
    }

    /// <summary>Most co-plays, then most plays, then the smaller GeoNames ids.</summary>
    private sealed class PairOrder : IComparer<CityPairCount>
    {
        public static readonly PairOrder Instance = new();

        public int Compare(CityPairCount x, CityPairCount y)
        {
            int c = y.CoPlays.CompareTo(x.CoPlays);
            c = c != 0 ? c : y.Plays.CompareTo(x.Plays);
            c = c != 0 ? c : x.A.CompareTo(y.A);
            return c != 0 ? c : x.B.CompareTo(y.B);
        }
    }
}
