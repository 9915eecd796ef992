using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// <see cref="CoPlayRule"/> for one (window, track) group, fast: distinct plays by event id, their locations, the
/// location cap, and the farthest pair at least the minimum distance apart, with packed sort keys, hashed event ids
/// and SIMD pair ranking; a property test holds it equal to the rule. Pure; reuses its scratch buffers, so one
/// matcher per thread.
/// </summary>
internal sealed class CoPlayMatcher
{
    // Location sort keys pack (geonameId, playedAt within the window) into one long: 23 bits hold any window's
    // offsets (WindowMs divides an hour), leaving 40 bits for GeoNames ids; anything else takes the comparer.
    private const int OffsetBits = 23;
    private const long MaxPackedGeonameId = (1L << (63 - OffsetBits)) - 1;

    private readonly MatchingOptions _options;
    private readonly FarthestPairFinder _farthest = new();
    private int[] _order = new int[16];
    private int[] _representatives = new int[16];
    private long[] _keys = new long[16];
    private KeptLocation[] _locations = new KeptLocation[16];
    private PlayCopy[] _copies = new PlayCopy[16];

    public CoPlayMatcher(MatchingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLocations, 2, nameof(options));
        _options = options;
    }

    /// <summary>Distinct plays (by event id) in the group; the number <see cref="Match(TrackWindowGroup)"/> reports as plays.</summary>
    public int DistinctPlays(TrackWindowGroup group) =>
        group.Count <= 1 ? group.Count : Deduplicate(_copies, group.Gather(ref _copies).Length, group.Arena.Bytes).Length;

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

        int count = group.Gather(ref _copies).Length;
        return Match(group.WindowStartMs, group.TrackId, _copies, count, group.Arena.Bytes, out distinctPlays);
    }

    /// <summary>As <see cref="Match(TrackWindowGroup, out int)"/> for a group whose event ids live in the caller's bytes.</summary>
    public CoPlay? Match(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopyBatch copies, out int distinctPlays) =>
        Match(windowStartMs, trackId, copies, out distinctPlays, out _, out _);

    /// <summary>
    /// As <see cref="Match(long, ReadOnlySpan{byte}, PlayCopyBatch, out int)"/>, also giving the points of the co-play's
    /// places A and B (null when there is no co-play): their <see cref="GeoPoint.PlaceId"/> lets output find its text by index.
    /// </summary>
    public CoPlay? Match(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopyBatch copies, out int distinctPlays, out GeoPoint? a, out GeoPoint? b)
    {
        if (copies.Count <= 1)
        {
            distinctPlays = copies.Count;
            a = b = null;
            return null;
        }

        return Match(windowStartMs, trackId, copies.Array, copies.Count, copies.Bytes, out distinctPlays, out a, out b);
    }

    private CoPlay? Match(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopy[] copies, int count, byte[] bytes, out int distinctPlays) =>
        Match(windowStartMs, trackId, copies, count, bytes, out distinctPlays, out _, out _);

    private CoPlay? Match(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopy[] copies, int count, byte[] bytes, out int distinctPlays, out GeoPoint? a, out GeoPoint? b)
    {
        a = b = null;
        Span<int> reps = Deduplicate(copies, count, bytes);
        distinctPlays = reps.Length;
        Span<KeptLocation> locations = Locate(copies, bytes, reps, windowStartMs);
        int distinctLocations = locations.Length;
        if (distinctLocations < 2)
        {
            return null;
        }

        if (distinctLocations > _options.MaxLocations)
        {
            locations.Sort(static (x, y) => y.Plays != x.Plays ? y.Plays.CompareTo(x.Plays) : x.GeonameId.CompareTo(y.GeonameId));
            locations = locations[.._options.MaxLocations];
            locations.Sort(static (x, y) => x.GeonameId.CompareTo(y.GeonameId));
        }

        if (_farthest.Find(locations) is not var (bestA, bestB, distance) || distance < _options.MinDistanceKm)
        {
            return null;
        }

        a = locations[bestA].Point;
        b = locations[bestB].Point;
        return new CoPlay(windowStartMs, Encoding.UTF8.GetString(trackId), reps.Length, distinctLocations, a.Location, b.Location, distance);
    }

    /// <summary>
    /// One representative copy per event id: the smallest by (geonameId, playedAt, lat, lon). Copies are ordered by
    /// a hash of their event id first; only copies with equal hashes (in practice, duplicates) are compared byte by byte.
    /// </summary>
    private Span<int> Deduplicate(PlayCopy[] copies, int n, byte[] bytes)
    {
        EnsureCapacity(ref _order, n);
        EnsureCapacity(ref _representatives, n);
        EnsureCapacity(ref _keys, n);
        if (n == 2)
        {
            // The most common group of all: two copies, nearly always two plays.
            return DeduplicatePair(copies, bytes);
        }

        Span<int> order = _order.AsSpan(0, n);
        Span<long> keys = _keys.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = (long)ByteHash.Of(EventId(bytes, copies[i]));
        }

        keys.Sort(order);
        int count = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start == 1)
            {
                _representatives[count++] = order[start];
            }
            else
            {
                Span<int> run = order[start..end];
                SmallSort.Sort(run, new CopyOrder(copies, bytes));
                for (int i = 0; i < run.Length; i++)
                {
                    if (i == 0 || !EventId(bytes, copies[run[i]]).SequenceEqual(EventId(bytes, copies[run[i - 1]])))
                    {
                        _representatives[count++] = run[i];
                    }
                }
            }

            start = end;
        }

        return _representatives.AsSpan(0, count);
    }

    private Span<int> DeduplicatePair(PlayCopy[] copies, byte[] bytes)
    {
        if (!EventId(bytes, copies[0]).SequenceEqual(EventId(bytes, copies[1])))
        {
            _representatives[0] = 0;
            _representatives[1] = 1;
            return _representatives.AsSpan(0, 2);
        }

        // Two copies of one play: one play at one place, never a pair, whichever copy stands.
        _representatives[0] = 0;
        return _representatives.AsSpan(0, 1);
    }

    /// <summary>Distinct locations of the representatives, in GeoNames id order, with play counts and the coordinates of their earliest play.</summary>
    private Span<KeptLocation> Locate(PlayCopy[] copies, byte[] bytes, Span<int> reps, long windowStartMs)
    {
        if (!SortByPackedKey(copies, reps, windowStartMs))
        {
            SmallSort.Sort(reps, new LocationOrder(copies, bytes));
        }

        EnsureCapacity(ref _locations, reps.Length);
        int count = 0;
        for (int i = 0; i < reps.Length;)
        {
            ref readonly PlayCopy first = ref copies[reps[i]];
            int earliest = reps[i];
            int end = i + 1;
            while (end < reps.Length && copies[reps[end]].GeonameId == first.GeonameId)
            {
                // Equal earliest times: the ordinally smaller event id gives the coordinates.
                ref readonly PlayCopy next = ref copies[reps[end]];
                if (next.PlayedAtMs == first.PlayedAtMs && EventId(bytes, next).SequenceCompareTo(EventId(bytes, copies[earliest])) < 0)
                {
                    earliest = reps[end];
                }

                end++;
            }

            _locations[count++] = new KeptLocation(copies[earliest].Point) { Plays = end - i };
            i = end;
        }

        return _locations.AsSpan(0, count);
    }

    /// <summary>Sorts by (geonameId, playedAt) as one packed long when every copy fits; false leaves the order to the comparer.</summary>
    private bool SortByPackedKey(PlayCopy[] copies, Span<int> reps, long windowStartMs)
    {
        Span<long> keys = _keys.AsSpan(0, reps.Length);
        for (int i = 0; i < reps.Length; i++)
        {
            ref readonly PlayCopy copy = ref copies[reps[i]];
            long offset = copy.PlayedAtMs - windowStartMs;
            if ((ulong)copy.GeonameId > MaxPackedGeonameId || (ulong)offset >= 1UL << OffsetBits)
            {
                return false;
            }

            keys[i] = (copy.GeonameId << OffsetBits) | offset;
        }

        keys.Sort(reps);
        return true;
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }

    private static ReadOnlySpan<byte> EventId(byte[] bytes, in PlayCopy copy) => bytes.AsSpan(copy.EventIdStart, copy.EventIdLength);

    /// <summary>By event id, then the copy that stands: smallest (geonameId, playedAt, lat, lon).</summary>
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

            c = a.GeonameId.CompareTo(b.GeonameId);
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
            int c = a.GeonameId.CompareTo(b.GeonameId);
            if (c != 0)
            {
                return c;
            }

            c = a.PlayedAtMs.CompareTo(b.PlayedAtMs);
            return c != 0 ? c : EventId(bytes, a).SequenceCompareTo(EventId(bytes, b));
        }
    }
}
