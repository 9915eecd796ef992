using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Matches one time bucket of spilled plays without building a group object per (window, track): the records
/// are sorted by (window, track hash), each run goes to the matcher as copies whose event ids stay in the record
/// buffer, and tracks that share a hash are told apart by their bytes. Keeps its buffers between buckets; one per thread.
/// </summary>
internal sealed class SpillBucketMatcher
{
    private readonly WindowAssigner _windows;
    private readonly CoPlayMatcher _matcher;
    private readonly CityDatabase _cities;
    private readonly PlayCopyBatch _batch = new();
    private long[] _keys = new long[1024];
    private int[] _offsets = new int[1024];
    private byte[] _records = [];

    public SpillBucketMatcher(WindowAssigner windows, CoPlayMatcher matcher, CityDatabase cities)
    {
        _windows = windows;
        _matcher = matcher;
        _cities = cities;
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
    public BatchResult Match(long bucketStartMs, int length, List<MinutePlays> playsPerMinute)
    {
        ReadOnlySpan<byte> records = _records.AsSpan(0, length);
        int count = Index(bucketStartMs, records);
        Span<long> keys = _keys.AsSpan(0, count);
        Span<int> offsets = _offsets.AsSpan(0, count);
        keys.Sort(offsets);

        var coPlays = new List<CoPlay>();
        long distinctPlays = 0, windows = 0;
        long previousWindow = -1;
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && keys[end] == keys[start])
            {
                end++;
            }

            long window = keys[start] >>> 48;
            windows += window != previousWindow ? 1 : 0;
            previousWindow = window;
            long windowStart = bucketStartMs + (window * _windows.WindowMs);
            long plays = MatchRun(windowStart, records, offsets[start..end], coPlays);
            distinctPlays += plays;
            AddToMinute(playsPerMinute, windowStart, plays);
            start = end;
        }

        coPlays.Sort(CoPlayOrder.Instance);
        return new BatchResult(coPlays, distinctPlays, windows);
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

    /// <summary>Matches a run of records with one (window, track hash); almost always a single track.</summary>
    private long MatchRun(long windowStart, ReadOnlySpan<byte> records, Span<int> run, List<CoPlay> coPlays)
    {
        if (run.Length == 1)
        {
            // Most runs: one play of a track in its second, one distinct play and never a pair.
            return 1;
        }

        long plays = 0;
        int remaining = run.Length;
        while (remaining > 0)
        {
            ReadOnlySpan<byte> track = TrackOf(records, run[0]);
            _batch.Reset(_records);
            int kept = 0;
            for (int i = 0; i < remaining; i++)
            {
                SpillRecord.Read(records[run[i]..], out long playedAtMs, out int cityRecord, out ReadOnlySpan<byte> trackId, out ReadOnlySpan<byte> eventId);
                if (trackId.SequenceEqual(track))
                {
                    _batch.Add(run[i] + SpillRecord.HeaderBytes + trackId.Length, eventId.Length, playedAtMs, _cities.ById(cityRecord).Point!);
                }
                else
                {
                    // A different track with the same hash: leave it for the next round.
                    run[kept++] = run[i];
                }
            }

            remaining = kept;
            if (_matcher.Match(windowStart, track, _batch, out int groupPlays) is { } coPlay)
            {
                coPlays.Add(coPlay);
            }

            plays += groupPlays;
        }

        return plays;
    }

    private int Index(long bucketStartMs, ReadOnlySpan<byte> records)
    {
        int count = 0;
        int position = 0;
        while (position < records.Length)
        {
            int length = SpillRecord.Read(records[position..], out long playedAtMs, out _, out ReadOnlySpan<byte> trackId, out _);
            if (count == _keys.Length)
            {
                Array.Resize(ref _keys, count * 2);
                Array.Resize(ref _offsets, count * 2);
            }

            long window = (_windows.WindowStart(playedAtMs) - bucketStartMs) / _windows.WindowMs;
            _keys[count] = (window << 48) | (long)(ByteHash.Of(trackId) & 0xFFFF_FFFF_FFFFUL);
            _offsets[count] = position;
            count++;
            position += length;
        }

        return count;
    }

    private static ReadOnlySpan<byte> TrackOf(ReadOnlySpan<byte> records, int offset)
    {
        SpillRecord.Read(records[offset..], out _, out _, out ReadOnlySpan<byte> trackId, out _);
        return trackId;
    }
}

/// <summary>Distinct eligible plays of the windows that start in one UTC minute.</summary>
internal readonly record struct MinutePlays(long MinuteStartMs, long Plays);
