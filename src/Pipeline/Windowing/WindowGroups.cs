using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// The groups of one window, keyed by the track id's UTF-8 bytes: looking a track up never allocates; only a
/// track new to the window allocates its group.
/// </summary>
public sealed class WindowGroups
{
    private int[] _buckets = new int[16];
    private Entry[] _entries = new Entry[16];
    private int _count;

    public WindowGroups(long windowStartMs)
    {
        WindowStartMs = windowStartMs;
        Array.Fill(_buckets, -1);
    }

    public long WindowStartMs { get; }

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

        var group = new TrackWindowGroup(WindowStartMs, trackId);
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
