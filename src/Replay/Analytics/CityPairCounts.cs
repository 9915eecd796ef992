using System.Runtime.InteropServices;
using ListeningTogether.Pipeline;

namespace ListeningTogether.Replay.Analytics;

/// <summary>
/// Co-plays and plays per city pair (two GeoNames ids). A co-play is appended to a buffer (its pair packed in one
/// key), and the buffer is now and then sorted by radix and merged into a sorted array of distinct pairs: appends
/// are sequential, where a hash table (a dictionary, or open addressing) takes a cache miss or two per co-play once
/// it outgrows the cache, as a replay's hundreds of thousands of pairs do. The buffer is merged whenever it is as
/// long as the merged pairs (and at least <see cref="MinBuffer"/>), so memory stays a small multiple of the distinct
/// pairs and each co-play is merged a bounded number of times. Ids outside 0..2^32-1 (never GeoNames') go to a
/// dictionary, and so do a co-play's plays past 2^31-1. Not thread-safe.
/// </summary>
internal sealed class CityPairCounts
{
    private const int MinBuffer = 1 << 16;

    private readonly RadixSort _sort = new();
    private readonly Dictionary<(long A, long B), (long CoPlays, long Plays)> _wide = [];
    private readonly Dictionary<ulong, long> _largePlays = [];
    private ulong[] _bufferKeys = new ulong[MinBuffer];
    private int[] _bufferPlays = new int[MinBuffer];
    private int _buffered;

    // The merged pairs, ascending by key, with their counts.
    private ulong[] _keys = [];
    private long[] _coPlays = [];
    private long[] _plays = [];
    private int _merged;

    /// <summary>Distinct pairs counted so far.</summary>
    public int Count
    {
        get
        {
            Merge();
            return _merged + _wide.Count;
        }
    }

    /// <summary>Counts a co-play of <paramref name="plays"/> plays for the pair.</summary>
    public void Add(long a, long b, long plays)
    {
        if ((ulong)a > uint.MaxValue || (ulong)b > uint.MaxValue)
        {
            ref (long CoPlays, long Plays) counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_wide, (a, b), out _);
            counts = (counts.CoPlays + 1, counts.Plays + plays);
            return;
        }

        if (_buffered == _bufferKeys.Length)
        {
            Merge();
        }

        ulong key = ((ulong)a << 32) | (ulong)b;
        if ((ulong)plays > int.MaxValue)
        {
            // Past what the buffer holds: the co-play is buffered with no plays, its plays kept aside.
            CollectionsMarshal.GetValueRefOrAddDefault(_largePlays, key, out _) += plays;
            plays = 0;
        }

        _bufferKeys[_buffered] = key;
        _bufferPlays[_buffered] = (int)plays;
        _buffered++;
    }

    /// <summary>Every pair with its counts, in no particular order.</summary>
    public IEnumerable<CityPairCount> All()
    {
        Merge();
        for (int i = 0; i < _merged; i++)
        {
            long plays = _largePlays.Count > 0 && _largePlays.TryGetValue(_keys[i], out long large) ? _plays[i] + large : _plays[i];
            yield return new CityPairCount((long)(_keys[i] >> 32), (long)(uint)_keys[i], _coPlays[i], plays);
        }

        foreach (KeyValuePair<(long A, long B), (long CoPlays, long Plays)> pair in _wide)
        {
            yield return new CityPairCount(pair.Key.A, pair.Key.B, pair.Value.CoPlays, pair.Value.Plays);
        }
    }

    /// <summary>Sorts the buffer and merges it into the merged pairs; the buffer then grows to their number.</summary>
    private void Merge()
    {
        if (_buffered == 0)
        {
            return;
        }

        _sort.Sort(ref _bufferKeys, ref _bufferPlays, _buffered);
        var keys = new ulong[_merged + _buffered];
        var coPlays = new long[keys.Length];
        var plays = new long[keys.Length];
        int n = 0, m = 0, b = 0;
        while (m < _merged || b < _buffered)
        {
            ulong key = b == _buffered || (m < _merged && _keys[m] <= _bufferKeys[b]) ? _keys[m] : _bufferKeys[b];
            long pairCoPlays = 0, pairPlays = 0;
            if (m < _merged && _keys[m] == key)
            {
                pairCoPlays = _coPlays[m];
                pairPlays = _plays[m];
                m++;
            }

            for (; b < _buffered && _bufferKeys[b] == key; b++)
            {
                pairCoPlays++;
                pairPlays += _bufferPlays[b];
            }

            keys[n] = key;
            coPlays[n] = pairCoPlays;
            plays[n] = pairPlays;
            n++;
        }

        _keys = keys;
        _coPlays = coPlays;
        _plays = plays;
        _merged = n;
        _buffered = 0;
        if (_bufferKeys.Length < n)
        {
            _bufferKeys = new ulong[n];
            _bufferPlays = new int[n];
        }
    }
}

/// <summary>A city pair's GeoNames ids and its counts.</summary>
internal readonly record struct CityPairCount(long A, long B, long CoPlays, long Plays);
