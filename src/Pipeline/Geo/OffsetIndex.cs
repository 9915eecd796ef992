namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// Data offset -> an int (the database's dense record id; a worker's verdict on the record), asked once for every
/// located play: an open-addressed table of 64-bit slots (offset + 1 in the high half, the value in the low half),
/// so a lookup usually touches one cache line. Reads take no
/// lock: a slot is written whole, so a reader sees it empty or complete, and a grown table is published only once
/// filled (a reader of the old one may miss the newest ids and then asks the writer's way). Writers serialize
/// themselves (the database's registration lock).
/// </summary>
internal sealed class OffsetIndex
{
    private ulong[] _slots = new ulong[1 << 16];
    private int _count;

    public bool TryGet(int offset, out int value)
    {
        ulong[] slots = Volatile.Read(ref _slots);
        int mask = slots.Length - 1;
        uint key = (uint)offset + 1;
        for (int i = Slot(key, mask); ; i = (i + 1) & mask)
        {
            ulong slot = Volatile.Read(ref slots[i]);
            if (slot == 0)
            {
                value = -1;
                return false;
            }

            if ((uint)(slot >> 32) == key)
            {
                value = (int)(uint)slot;
                return true;
            }
        }
    }

    /// <summary>Adds an offset that is not in the index yet; callers serialize their calls.</summary>
    public void Add(int offset, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if ((_count + 1) * 2 > _slots.Length)
        {
            var larger = new ulong[_slots.Length * 2];
            foreach (ulong slot in _slots)
            {
                if (slot != 0)
                {
                    Insert(larger, slot);
                }
            }

            Volatile.Write(ref _slots, larger);
        }

        Insert(_slots, ((ulong)((uint)offset + 1) << 32) | (uint)value);
        _count++;
    }

    private static void Insert(ulong[] slots, ulong entry)
    {
        int mask = slots.Length - 1;
        int i = Slot((uint)(entry >> 32), mask);
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref slots[i], entry);
    }

    /// <summary>Fibonacci hashing: offsets are multiples of small record sizes, so their low bits alone would cluster.</summary>
    private static int Slot(uint key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;
}
