using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>
/// The exact co-play rule for one (window, track) group: distinct plays by event id, their locations, the
/// location cap, and the farthest pair at least the minimum distance apart. Pure; reuses its scratch buffers,
/// so one matcher per thread.
/// </summary>
public sealed class CoPlayMatcher
{
    private readonly MatchingOptions _options;
    private int[] _order = new int[16];
    private int[] _representatives = new int[16];
    private KeptLocation[] _locations = new KeptLocation[16];
    private PlayCopy[] _copies = new PlayCopy[16];

    public CoPlayMatcher(MatchingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLocations, 2, nameof(options));
        _options = options;
    }

    /// <summary>Distinct plays (by event id) in the group; the number <see cref="Match(TrackWindowGroup)"/> reports as plays.</summary>
    public int DistinctPlays(TrackWindowGroup group) => group.Count <= 1 ? group.Count : Deduplicate(group).Length;

    /// <summary>The group's co-play, or null when no two kept locations are far enough apart.</summary>
    public CoPlay? Match(TrackWindowGroup group) => Match(group, out _);

    /// <summary>As <see cref="Match(TrackWindowGroup)"/>, also giving the group's distinct plays.</summary>
    public CoPlay? Match(TrackWindowGroup group, out int distinctPlays)
    {
        if (group.Count <= 1)
        {
            // One copy: one play at one place, never a pair.
            distinctPlays = group.Count;
            return null;
        }

        Span<int> reps = Deduplicate(group);
        distinctPlays = reps.Length;
        Span<KeptLocation> locations = Locate(group, reps);
        int distinctLocations = locations.Length;
        if (distinctLocations < 2)
        {
            return null;
        }

        if (distinctLocations > _options.MaxLocations)
        {
            locations.Sort(static (x, y) => y.Plays != x.Plays ? y.Plays.CompareTo(x.Plays) : x.Point.GeonameId.CompareTo(y.Point.GeonameId));
            locations = locations[.._options.MaxLocations];
            locations.Sort(static (x, y) => x.Point.GeonameId.CompareTo(y.Point.GeonameId));
        }

        if (FarthestPair(locations) is not var (bestA, bestB, distance) || distance < _options.MinDistanceKm)
        {
            return null;
        }

        return new CoPlay(
            group.WindowStartMs,
            Encoding.UTF8.GetString(group.TrackId),
            reps.Length,
            distinctLocations,
            locations[bestA].Point.Location,
            locations[bestB].Point.Location,
            distance);
    }

    /// <summary>
    /// The farthest pair, ties by smallest (a, b) GeoNames ids (locations are in id order). Pairs are first ranked
    /// by the dot product of unit vectors (cheap; the haversine is monotonic in it), then every pair within a
    /// rounding margin of the best is measured with the exact haversine, so the result is the exact rule's.
    /// </summary>
    private static (int A, int B, double DistanceKm)? FarthestPair(ReadOnlySpan<KeptLocation> locations)
    {
        double minDot = double.PositiveInfinity;
        for (int a = 0; a < locations.Length; a++)
        {
            GeoPoint pa = locations[a].Point;
            for (int b = a + 1; b < locations.Length; b++)
            {
                double dot = pa.Dot(locations[b].Point);
                if (dot < minDot)
                {
                    minDot = dot;
                }
            }
        }

        // Rounding in the dot product and the haversine is ~1e-15; this margin only adds exact checks.
        double candidateLimit = minDot + 1e-9;
        int bestA = -1, bestB = -1;
        double best = double.NegativeInfinity;
        for (int a = 0; a < locations.Length; a++)
        {
            GeoPoint pa = locations[a].Point;
            for (int b = a + 1; b < locations.Length; b++)
            {
                GeoPoint pb = locations[b].Point;
                if (pa.Dot(pb) <= candidateLimit)
                {
                    double d = pa.DistanceKm(pb);
                    if (d > best)
                    {
                        best = d;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
        }

        return bestA < 0 ? null : (bestA, bestB, best);
    }

    /// <summary>One representative copy per event id: the smallest by (geonameId, playedAt, lat, lon).</summary>
    private Span<int> Deduplicate(TrackWindowGroup group)
    {
        ReadOnlySpan<PlayCopy> copies = group.Gather(ref _copies);
        byte[] bytes = group.Arena.Bytes;
        EnsureCapacity(ref _order, copies.Length);
        EnsureCapacity(ref _representatives, copies.Length);
        Span<int> order = _order.AsSpan(0, copies.Length);
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        SmallSort.Sort(order, new CopyOrder(_copies, bytes));
        int count = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (i == 0 || !EventId(bytes, copies[order[i]]).SequenceEqual(EventId(bytes, copies[order[i - 1]])))
            {
                _representatives[count++] = order[i];
            }
        }

        return _representatives.AsSpan(0, count);
    }

    /// <summary>Distinct locations of the representatives, in GeoNames id order, with play counts and the coordinates of their earliest play.</summary>
    private Span<KeptLocation> Locate(TrackWindowGroup group, Span<int> reps)
    {
        ReadOnlySpan<PlayCopy> copies = _copies;
        SmallSort.Sort(reps, new LocationOrder(_copies, group.Arena.Bytes));
        EnsureCapacity(ref _locations, reps.Length);
        int count = 0;
        for (int i = 0; i < reps.Length; i++)
        {
            GeoPoint point = copies[reps[i]].Point;
            if (count > 0 && _locations[count - 1].Point.GeonameId == point.GeonameId)
            {
                _locations[count - 1].Plays++;
            }
            else
            {
                _locations[count++] = new KeptLocation(point);
            }
        }

        return _locations.AsSpan(0, count);
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }

    private struct KeptLocation(GeoPoint point)
    {
        public readonly GeoPoint Point = point;
        public int Plays = 1;
    }

    /// <summary>By event id, then the copy that stands: smallest (geonameId, playedAt, lat, lon).</summary>
    private static ReadOnlySpan<byte> EventId(byte[] bytes, in PlayCopy copy) => bytes.AsSpan(copy.EventIdStart, copy.EventIdLength);

    private readonly struct CopyOrder(PlayCopy[] copies, byte[] bytes) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            ref readonly PlayCopy a = ref copies[x];
            ref readonly PlayCopy b = ref copies[y];
            int c = EventId(bytes, a).SequenceCompareTo(EventId(bytes, b));
            if (c != 0)
            {
                return c;
            }

            c = a.Location.GeonameId.CompareTo(b.Location.GeonameId);
            if (c != 0)
            {
                return c;
            }

            c = a.PlayedAtMs.CompareTo(b.PlayedAtMs);
            if (c != 0)
            {
                return c;
            }

            c = a.Location.Lat.CompareTo(b.Location.Lat);
            return c != 0 ? c : a.Location.Lon.CompareTo(b.Location.Lon);
        }
    }

    /// <summary>By GeoNames id, then the play whose coordinates the location takes: earliest playedAt, then smaller event id.</summary>
    private readonly struct LocationOrder(PlayCopy[] copies, byte[] bytes) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            ref readonly PlayCopy a = ref copies[x];
            ref readonly PlayCopy b = ref copies[y];
            int c = a.Location.GeonameId.CompareTo(b.Location.GeonameId);
            if (c != 0)
            {
                return c;
            }

            c = a.PlayedAtMs.CompareTo(b.PlayedAtMs);
            return c != 0 ? c : EventId(bytes, a).SequenceCompareTo(EventId(bytes, b));
        }
    }
}
