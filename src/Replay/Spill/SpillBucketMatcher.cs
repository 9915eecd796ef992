using System.Runtime.InteropServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Matches one time bucket of spilled plays without building a group object per (window, track) and without
/// sorting: the records are put in window order by counting, each window's records are grouped by track hash
/// (<see cref="TrackHashGroups"/>), each group goes to the matcher as copies whose event ids stay in the record
/// buffer, and tracks that share a hash are told apart by their bytes. Keeps its buffers between buckets; one per thread.
/// Spilled plays that are not records of the bucket (a spill file damaged while replay ran) are an
/// <see cref="InvalidDataException"/> naming the bucket, found before any is matched.
/// </summary>
internal sealed class SpillBucketMatcher
{
    private readonly WindowAssigner _windows;
    private readonly long _bucketMs;
    private readonly CoPlayMatcher _matcher;
    private readonly CityDatabase _cities;
    private readonly PlayCopyBatch _batch = new();
    private readonly TrackHashGroups _groups = new();
    private int[] _windowOf = new int[1024];
    private ulong[] _hashes = new ulong[1024];
    private int[] _offsets = new int[1024];
    private int[] _order = new int[1024];
    private int[] _run = new int[1024];
    private int[] _windowStarts = new int[64];
    private int[] _windowNext = new int[64];
    private byte[] _records = [];

    private readonly ulong _hashMask;

    /// <param name="bucketMs">How long a bucket is: a whole number of windows.</param>
    public SpillBucketMatcher(WindowAssigner windows, long bucketMs, MatchingOptions matching, CityDatabase cities)
        : this(windows, bucketMs, matching, cities, ulong.MaxValue)
    {
    }

    /// <param name="hashMask">Bits of the track hashes used: tests make every track collide with 0.</param>
    internal SpillBucketMatcher(WindowAssigner windows, long bucketMs, MatchingOptions matching, CityDatabase cities, ulong hashMask)
    {
        _windows = windows;
        _bucketMs = bucketMs;
        _matcher = new CoPlayMatcher(matching);
        _cities = cities;
        _hashMask = hashMask;
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes to read a bucket's records into, kept for the next bucket.</summary>
    public Span<byte> RecordBuffer(int length)
    {
        if (_records.Length < length)
        {
            _records = new byte[Math.Max(length, _records.Length + (_records.Length / 2))];
        }

        return _records.AsSpan(0, length);
    }

    /// <summary>
    /// Matches the first <paramref name="length"/> bytes of records in <see cref="RecordBuffer"/>; adds the distinct
    /// eligible plays of each minute (by window start) to <paramref name="playsPerMinute"/>, in time order.
    /// </summary>
    public SpillBatchResult Match(long bucketStartMs, int length, List<MinutePlays> playsPerMinute)
    {
        ReadOnlySpan<byte> records = _records.AsSpan(0, length);
        int count = Index(bucketStartMs, records, out int windowCount);
        ReadOnlySpan<int> starts = OrderByWindow(count, windowCount);

        var coPlays = new List<CoPlay>();
        var places = new List<CoPlayPlaces>();
        long distinctPlays = 0, windows = 0;
        for (int window = 0; window < windowCount; window++)
        {
            ReadOnlySpan<int> inWindow = _order.AsSpan(starts[window], starts[window + 1] - starts[window]);
            if (inWindow.IsEmpty)
            {
                continue;
            }

            windows++;
            long windowStart = bucketStartMs + ((long)window * _windows.WindowMs);
            _groups.Build(inWindow, _hashes);
            long plays = 0;
            for (int group = 0; group < _groups.Count; group++)
            {
                int size = _groups.SizeOf(group);
                if (size == 1)
                {
                    // Most groups: one play of a track in its second, one distinct play and never a pair.
                    plays++;
                    continue;
                }

                Span<int> run = _run.AsSpan(0, size);
                _groups.CopyTo(group, run);
                plays += MatchRun(windowStart, records, run, coPlays, places);
            }

            distinctPlays += plays;
            AddToMinute(playsPerMinute, windowStart, plays);
        }

        // Sorted together: the place ids stay at their co-play's index.
        CollectionsMarshal.AsSpan(coPlays).Sort(CollectionsMarshal.AsSpan(places), CoPlayOrder.Instance);
        return new SpillBatchResult(coPlays, places, distinctPlays, windows);
    }

    private static void AddToMinute(List<MinutePlays> playsPerMinute, long windowStart, long plays)
    {
        long minute = windowStart - (windowStart % 60_000);
        if (playsPerMinute.Count > 0 && playsPerMinute[^1].MinuteStartMs == minute)
        {
            playsPerMinute[^1] = playsPerMinute[^1] with { Plays = playsPerMinute[^1].Plays + plays };
        }
        else
        {
            playsPerMinute.Add(new MinutePlays(minute, plays));
        }
    }

    /// <summary>Matches the records (indexes) of one group of a window; almost always a single track.</summary>
    private long MatchRun(long windowStart, ReadOnlySpan<byte> records, Span<int> run, List<CoPlay> coPlays, List<CoPlayPlaces> places)
    {
        long plays = 0;
        int remaining = run.Length;
        while (remaining > 0)
        {
            ReadOnlySpan<byte> track = TrackOf(records, _offsets[run[0]]);
            _batch.Reset(_records);
            int kept = 0;
            for (int i = 0; i < remaining; i++)
            {
                int offset = _offsets[run[i]];
                SpillRecord.Read(records[offset..], out long playedAtMs, out int placeId, out ReadOnlySpan<byte> trackId, out ReadOnlySpan<byte> eventId);
                if (trackId.SequenceEqual(track))
                {
                    _batch.Add(offset + SpillRecord.HeaderBytes + trackId.Length, eventId.Length, playedAtMs, _cities.PlaceById(placeId));
                }
                else
                {
                    // A different track with the same hash: leave it for the next round.
                    run[kept++] = run[i];
                }
            }

            remaining = kept;
            if (_matcher.Match(windowStart, track, _batch, out int groupPlays, out GeoPoint? a, out GeoPoint? b) is { } coPlay)
            {
                coPlays.Add(coPlay);
                places.Add(new CoPlayPlaces(a!.PlaceId, b!.PlaceId));
            }

            plays += groupPlays;
        }

        return plays;
    }

    /// <summary>Each record's window (within the bucket), track hash and offset; the number of windows the bucket spans.</summary>
    private int Index(long bucketStartMs, ReadOnlySpan<byte> records, out int windowCount)
    {
        int count = 0;
        int position = 0;
        int lastWindow = -1;
        int places = _cities.PlaceCount;
        while (position < records.Length)
        {
            if (!SpillRecord.TryRead(records[position..], out long playedAtMs, out int placeId, out ReadOnlySpan<byte> trackId, out int length))
            {
                throw Damaged(bucketStartMs, $"the record at byte {position} of {records.Length} runs past their end");
            }

            if ((ulong)unchecked(playedAtMs - bucketStartMs) >= (ulong)_bucketMs)
            {
                throw Damaged(bucketStartMs, $"the record at byte {position} has a play time ({playedAtMs} Unix ms) outside the bucket");
            }

            if ((uint)placeId >= (uint)places)
            {
                throw Damaged(bucketStartMs, $"the record at byte {position} has place id {placeId}, but the City database has given ids 0 to {places - 1}");
            }

            if (count == _offsets.Length)
            {
                Array.Resize(ref _windowOf, count * 2);
                Array.Resize(ref _hashes, count * 2);
                Array.Resize(ref _offsets, count * 2);
            }

            int window = (int)((_windows.WindowStart(playedAtMs) - bucketStartMs) / _windows.WindowMs);
            _windowOf[count] = window;
            lastWindow = Math.Max(lastWindow, window);
            _hashes[count] = ByteHash.Of(trackId) & _hashMask;
            _offsets[count] = position;
            count++;
            position += length;
        }

        windowCount = lastWindow + 1;
        return count;
    }

    /// <summary>Puts the record indexes in window order (counting sort) in <c>_order</c>; returns where each window starts there.</summary>
    private ReadOnlySpan<int> OrderByWindow(int count, int windowCount)
    {
        if (_windowStarts.Length < windowCount + 1)
        {
            _windowStarts = new int[windowCount + 1];
            _windowNext = new int[windowCount + 1];
        }

        if (_order.Length < count)
        {
            _order = new int[_offsets.Length];
            _run = new int[_offsets.Length];
        }

        Span<int> starts = _windowStarts.AsSpan(0, windowCount + 1);
        starts.Clear();
        foreach (int window in _windowOf.AsSpan(0, count))
        {
            starts[window + 1]++;
        }

        for (int w = 1; w <= windowCount; w++)
        {
            starts[w] += starts[w - 1];
        }

        Span<int> next = _windowNext.AsSpan(0, windowCount);
        starts[..windowCount].CopyTo(next);
        for (int i = 0; i < count; i++)
        {
            _order[next[_windowOf[i]]++] = i;
        }

        return starts;
    }

    private static InvalidDataException Damaged(long bucketStartMs, string why) =>
        new(FormattableString.Invariant($"The spilled plays of the bucket starting {DateTimeOffset.FromUnixTimeMilliseconds(bucketStartMs).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} are damaged: {why}."));

    private static ReadOnlySpan<byte> TrackOf(ReadOnlySpan<byte> records, int offset)
    {
        SpillRecord.Read(records[offset..], out _, out _, out ReadOnlySpan<byte> trackId, out _);
        return trackId;
    }
}

/// <summary>Distinct eligible plays of the windows that start in one UTC minute.</summary>
internal readonly record struct MinutePlays(long MinuteStartMs, long Plays);
