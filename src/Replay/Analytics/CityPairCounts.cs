namespace ListeningTogether.Replay.Analytics;

/// <summary>
/// Co-plays and plays per city pair (two GeoNames ids), in an open-addressing table of structs: an insert touches
/// one slot (and, on a collision, its neighbours), where a dictionary reads a bucket, an entry and often a chain,
/// each a cache miss once the table outgrows the cache. Not thread-safe.
/// </summary>
internal sealed class CityPairCounts
{
    private const int InitialCapacity = 1024;

    // A slot is in use when its co-plays are not 0: every counted pair has at least one.
    private Slot[] _slots = new Slot[InitialCapacity];

    public int Count { get; private set; }

    /// <summary>Counts a co-play of <paramref name="plays"/> plays for the pair; true when the pair is new.</summary>
    public bool Add(long a, long b, long plays)
    {
        if ((Count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        ref Slot slot = ref Find(_slots, a, b);
        bool added = slot.CoPlays == 0;
        if (added)
        {
            slot.A = a;
            slot.B = b;
            Count++;
        }

        slot.CoPlays++;
        slot.Plays += plays;
        return added;
    }

    /// <summary>Every pair with its counts, in no particular order.</summary>
    public IEnumerable<CityPairCount> All()
    {
        foreach (Slot slot in _slots)
        {
            if (slot.CoPlays != 0)
            {
                yield return new CityPairCount(slot.A, slot.B, slot.CoPlays, slot.Plays);
            }
        }
    }

    /// <summary>The pair's slot, or the empty slot where it belongs (linear probing from its hash).</summary>
    private static ref Slot Find(Slot[] slots, long a, long b)
    {
        int mask = slots.Length - 1;
        int i = Hash(a, b) & mask;
        while (true)
        {
            ref Slot slot = ref slots[i];
            if (slot.CoPlays == 0 || (slot.A == a && slot.B == b))
            {
                return ref slot;
            }

            i = (i + 1) & mask;
        }
    }

    private static int Hash(long a, long b)
    {
        ulong mixed = unchecked(((ulong)a * 0x9E3779B97F4A7C15UL) ^ (ulong)b) * 0xBF58476D1CE4E5B9UL;
        return (int)(mixed >> 32);
    }

    private void Grow()
    {
        var slots = new Slot[_slots.Length * 2];
        foreach (Slot slot in _slots)
        {
            if (slot.CoPlays != 0)
            {
                Find(slots, slot.A, slot.B) = slot;
            }
        }

        _slots = slots;
    }

    private struct Slot
    {
        public long A;
        public long B;
        public long CoPlays;
        public long Plays;
    }
}

/// <summary>A city pair's GeoNames ids and its counts.</summary>
internal readonly record struct CityPairCount(long A, long B, long CoPlays, long Plays);
