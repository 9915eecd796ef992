using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Matches one time bucket of spilled plays without building a group object per (window, track): the records
/// are put in window order, each window's sorted by track hash, each run is fed to one reused group, and tracks
/// that share a hash are told apart by their bytes. Keeps its buffers between buckets; one per thread.
/// </summary>
internal sealed class SpillBucketMatcher
{
    private readonly WindowAssigner _windows;
    private readonly CoPlayMatcher _matcher;
    private readonly CityDatabase _cities;
    private readonly TrackWindowGroup _group = new(0, default);
    private long[] _keys = new long[1024];
    private int[] _offsets = new int[1024];
    private byte[] _records = [];
    private byte[] _partitioned = [];
    private int[] _windowBytes = new int[64];
    private int[] _windowEnds = [];

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

    public BatchResult Match(long bucketStartMs, ReadOnlySpan<byte> records)
    {
        // Records are first laid out window by window, so the random reads of one window's groups stay within a
        // few hundred kilobytes (cache-resident) instead of roaming the whole bucket.
        ReadOnlySpan<byte> byWindow = PartitionByWindow(bucketStartMs, records, out ReadOnlySpan<int> windowEnds);
        var coPlays = new List<CoPlay>();
        long distinctPlays = 0, windows = 0;
        int windowStartByte = 0;
        for (int w = 0; w < windowEnds.Length; w++)
        {
            int windowEndByte = windowEnds[w];
            if (windowEndByte == windowStartByte)
            {
                continue;
            }

            windows++;
            ReadOnlySpan<byte> window = byWindow[windowStartByte..windowEndByte];
            int count = Index(window);
            Span<long> keys = _keys.AsSpan(0, count);
            Span<int> offsets = _offsets.AsSpan(0, count);
            keys.Sort(offsets);
            long windowStart = bucketStartMs + (w * _windows.WindowMs);
            for (int start = 0; start < count;)
            {
                int end = start + 1;
                while (end < count && keys[end] == keys[start])
                {
                    end++;
                }

                distinctPlays += MatchRun(windowStart, window, offsets[start..end], coPlays);
                start = end;
            }

            windowStartByte = windowEndByte;
        }

        coPlays.Sort(CoPlayOrder.Instance);
        return new BatchResult(coPlays, distinctPlays, windows);
    }

    /// <summary>The records in window order (a counting sort, stable); <paramref name="windowEnds"/> is where each window's bytes end.</summary>
    private ReadOnlySpan<byte> PartitionByWindow(long bucketStartMs, ReadOnlySpan<byte> records, out ReadOnlySpan<int> windowEnds)
    {
        int windowsPerBucket = 1;
        for (int position = 0; position < records.Length;)
        {
            int length = SpillRecord.Read(records[position..], out long playedAtMs, out _, out _, out _);
            int window = WindowOf(bucketStartMs, playedAtMs);
            if (window >= _windowBytes.Length)
            {
                Array.Resize(ref _windowBytes, Math.Max(window + 1, _windowBytes.Length * 2));
            }

            windowsPerBucket = Math.Max(windowsPerBucket, window + 1);

            _windowBytes[window] += length;
            position += length;
        }

        Span<int> next = _windowBytes.AsSpan(0, windowsPerBucket);
        for (int w = 0, start = 0; w < next.Length; w++)
        {
            int bytes = next[w];
            next[w] = start;
            start += bytes;
        }

        if (_partitioned.Length < records.Length)
        {
            _partitioned = new byte[Math.Max(records.Length, _partitioned.Length + (_partitioned.Length / 2))];
        }

        for (int position = 0; position < records.Length;)
        {
            int length = SpillRecord.Read(records[position..], out long playedAtMs, out _, out _, out _);
            int window = WindowOf(bucketStartMs, playedAtMs);
            records.Slice(position, length).CopyTo(_partitioned.AsSpan(next[window]));
            next[window] += length;
            position += length;
        }

        // After the copy each window's cursor stands at its end; the counts start afresh for the next bucket.
        if (_windowEnds.Length < windowsPerBucket)
        {
            _windowEnds = new int[_windowBytes.Length];
        }

        next.CopyTo(_windowEnds);
        next.Clear();
        windowEnds = _windowEnds.AsSpan(0, windowsPerBucket);
        return _partitioned.AsSpan(0, records.Length);
    }

    private int WindowOf(long bucketStartMs, long playedAtMs) => (int)((_windows.WindowStart(playedAtMs) - bucketStartMs) / _windows.WindowMs);

    /// <summary>Matches a run of records with one (window, track hash); almost always a single track.</summary>
    private long MatchRun(long windowStart, ReadOnlySpan<byte> records, Span<int> run, List<CoPlay> coPlays)
    {
        long plays = 0;
        int remaining = run.Length;
        while (remaining > 0)
        {
            ReadOnlySpan<byte> track = TrackOf(records, run[0]);
            _group.Reset(windowStart, track);
            int kept = 0;
            for (int i = 0; i < remaining; i++)
            {
                SpillRecord.Read(records[run[i]..], out long playedAtMs, out int cityRecord, out ReadOnlySpan<byte> trackId, out ReadOnlySpan<byte> eventId);
                if (trackId.SequenceEqual(track))
                {
                    _group.Add(eventId, playedAtMs, _cities.ById(cityRecord).Point!);
                }
                else
                {
                    // A different track with the same hash: leave it for the next round.
                    run[kept++] = run[i];
                }
            }

            remaining = kept;
            if (_matcher.Match(_group, out int groupPlays) is { } coPlay)
            {
                coPlays.Add(coPlay);
            }

            plays += groupPlays;
        }

        return plays;
    }

    /// <summary>Keys (track hash) and offsets of one window's records.</summary>
    private int Index(ReadOnlySpan<byte> records)
    {
        int count = 0;
        int position = 0;
        while (position < records.Length)
        {
            int length = SpillRecord.Read(records[position..], out _, out _, out ReadOnlySpan<byte> trackId, out _);
            if (count == _keys.Length)
            {
                Array.Resize(ref _keys, count * 2);
                Array.Resize(ref _offsets, count * 2);
            }

            _keys[count] = (long)Fnv1a(trackId);
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

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return h;
    }
}
