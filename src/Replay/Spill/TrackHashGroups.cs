namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Groups one window's records by the hash of their track id without sorting: an open-addressing table over the
/// 64-bit hashes, each group a chain of record indexes. Tracks whose hashes collide share a group and are told
/// apart by their bytes later. Keeps its buffers; one per thread.
/// </summary>
internal sealed class TrackHashGroups
{
    private int[] _slots = new int[1024];
    private ulong[] _groupHashes = new ulong[512];
    private int[] _heads = new int[512];
    private int[] _sizes = new int[512];
    private int[] _next = [];

    public int Count { get; private set; }

    /// <summary>Groups the records <paramref name="records"/> (indexes into <paramref name="hashes"/>).</summary>
    public void Build(ReadOnlySpan<int> records, ReadOnlySpan<ulong> hashes)
    {
        int capacity = Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)records.Length * 2));
        if (_slots.Length < capacity)
        {
            _slots = new int[capacity];
        }

        if (_heads.Length < records.Length)
        {
            int length = Math.Max(records.Length, _heads.Length * 2);
            _groupHashes = new ulong[length];
            _heads = new int[length];
            _sizes = new int[length];
        }

        if (_next.Length < hashes.Length)
        {
            _next = new int[Math.Max(hashes.Length, _next.Length * 2)];
        }

        Span<int> slots = _slots.AsSpan(0, capacity);
        slots.Fill(-1);
        int mask = capacity - 1;
        int groups = 0;
        foreach (int record in records)
        {
            ulong hash = hashes[record];
            int slot = (int)(hash >> 32) & mask;
            while (true)
            {
                int group = slots[slot];
                if (group < 0)
                {
                    slots[slot] = groups;
                    _groupHashes[groups] = hash;
                    _heads[groups] = record;
                    _sizes[groups] = 1;
                    _next[record] = -1;
                    groups++;
                    break;
                }

                if (_groupHashes[group] == hash)
                {
                    _next[record] = _heads[group];
                    _heads[group] = record;
                    _sizes[group]++;
                    break;
                }

                slot = (slot + 1) & mask;
            }
        }

        Count = groups;
    }

    public int SizeOf(int group) => _sizes[group];

    /// <summary>Writes the record indexes of a group to <paramref name="destination"/> (at least its size long).</summary>
    public void CopyTo(int group, Span<int> destination)
    {
        int i = 0;
        for (int record = _heads[group]; record >= 0; record = _next[record])
        {
            destination[i++] = record;
        }
    }
}
