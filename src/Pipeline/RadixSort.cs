namespace ListeningTogether.Pipeline;

/// <summary>
/// Least-significant-digit radix sort of unsigned 64-bit keys, carrying an int payload per key (an index or an
/// offset), stable. A byte every key shares is skipped, so keys that use few of their bits cost few passes: it pays
/// for short keys (replay's address keys: five bytes), while keys random in six or more bytes sort faster with a
/// comparison sort (measured on replay's bucket keys). Keeps its scratch buffers: one per thread.
/// </summary>
internal sealed class RadixSort
{
    private const int Buckets = 256;

    private readonly int[] _counts = new int[Buckets];
    private ulong[] _keysScratch = [];
    private int[] _valuesScratch = [];

    /// <summary>Sorts the first <paramref name="count"/> keys ascending, moving each value with its key.</summary>
    public void Sort(ref ulong[] keys, ref int[] values, int count)
    {
        if (_keysScratch.Length < keys.Length)
        {
            _keysScratch = new ulong[keys.Length];
            _valuesScratch = new int[keys.Length];
        }

        for (int shift = 0; shift < 64 && count > 1; shift += 8)
        {
            Array.Clear(_counts);
            for (int i = 0; i < count; i++)
            {
                _counts[(int)(keys[i] >> shift) & (Buckets - 1)]++;
            }

            if (_counts[(int)(keys[0] >> shift) & (Buckets - 1)] == count)
            {
                continue;
            }

            int start = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int n = _counts[b];
                _counts[b] = start;
                start += n;
            }

            for (int i = 0; i < count; i++)
            {
                ulong key = keys[i];
                int to = _counts[(int)(key >> shift) & (Buckets - 1)]++;
                _keysScratch[to] = key;
                _valuesScratch[to] = values[i];
            }

            (keys, _keysScratch) = (_keysScratch, keys);
            (values, _valuesScratch) = (_valuesScratch, values);
        }
    }
}
