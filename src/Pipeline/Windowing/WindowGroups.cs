using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// The groups of one window, keyed by the track id's UTF-8 bytes: looking a track up never allocates; only a
/// track new to the window allocates its group.
/// </summary>
internal sealed class WindowGroups
{
    private int[] _buckets = new int[16];
    private Entry[] _entries = new Entry[16];
    private int _count;

    private readonly Stack<TrackWindowGroup>? _pool;

    // With a pool, the window's groups share one arena, so reused groups never regrow buffers of their own.
    private readonly PlayCopyArena? _arena;

    /// <param name="pool">Spare groups to reuse instead of allocating; <see cref="Recycle"/> returns them.</param>
    public WindowGroups(long windowStartMs, Stack<TrackWindowGroup>? pool = null)
    {
        _arena = pool is null ? null : new PlayCopyArena();
        WindowStartMs = windowStartMs;
        _pool = pool;
        Array.Fill(_buckets, -1);
    }

    /// <summary>Most spare groups a pool keeps; beyond that they are left to the GC.</summary>
    public const int MaxPooledGroups = 1 << 18;

    public long WindowStartMs { get; private set; }

    public int Count => _count;

    public TrackWindowGroup GetOrAdd(ReadOnlySpan<byte> trackId)
    {
        int hash = Hash(trackId);
        for (int i = _buckets[hash & (_buckets.Length - 1)]; i >= 0; i = _entries[i].Next)
        {
            if (_entries[i].Hash == hash && trackId.SequenceEqual(_entries[i].Group.TrackId))
            {
                return _entries[i].Group;
            }
        }

        if (_count == _entries.Length)
        {
            Grow();
        }

        TrackWindowGroup group;
        if (_pool is { Count: > 0 })
        {
            group = _pool.Pop();
            group.Reset(WindowStartMs, trackId, _arena!);
        }
        else
        {
            group = _arena is null ? new TrackWindowGroup(WindowStartMs, trackId) : new TrackWindowGroup(WindowStartMs, trackId, _arena);
        }

        int bucket = hash & (_buckets.Length - 1);
        _entries[_count] = new Entry(hash, _buckets[bucket], group);
        _buckets[bucket] = _count++;
        return group;
    }

    /// <summary>The groups in insertion order.</summary>
    public IEnumerable<TrackWindowGroup> All()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return _entries[i].Group;
        }
    }

    /// <summary>Hands every group back to the pool and empties the table for another window.</summary>
    public void Recycle(long windowStartMs)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_pool is not null && _pool.Count < MaxPooledGroups)
            {
                _pool.Push(_entries[i].Group);
            }

            _entries[i] = default;
        }

        _count = 0;
        Array.Fill(_buckets, -1);
        _arena?.Clear();
        WindowStartMs = windowStartMs;
    }

    private void Grow()
    {
        Array.Resize(ref _entries, _entries.Length * 2);
        _buckets = new int[_entries.Length];
        Array.Fill(_buckets, -1);
        for (int i = 0; i < _count; i++)
        {
            int bucket = _entries[i].Hash & (_buckets.Length - 1);
            _entries[i] = _entries[i] with { Next = _buckets[bucket] };
            _buckets[bucket] = i;
        }
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a: simple and good enough for track ids; the table resolves collisions exactly.
        uint h = 2166136261;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 16777619;
        }

        return (int)(h ^ (h >> 15));
    }

    private readonly record struct Entry(int Hash, int Next, TrackWindowGroup Group);
}
