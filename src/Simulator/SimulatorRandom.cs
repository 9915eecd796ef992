namespace ListeningTogether.Simulator;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, small and stable across .NET versions, so the same seed gives
/// the same plays everywhere. Not thread-safe; each generator owns its own instance.
/// </summary>
internal sealed class SimulatorRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates the generator of one independent stream of a seed (the catalog and the plays use different streams).</summary>
    public SimulatorRandom(long seed, ulong stream)
    {
        ulong x = unchecked((ulong)seed ^ (stream * 0xD1B54A32D192ED03UL));
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)NextBounded((ulong)bound);
    }

    /// <summary>Uniform in [0, bound); bound of 0 means the full 64-bit range.</summary>
    public ulong NextBounded(ulong bound)
    {
        if (bound == 0)
        {
            return NextUInt64();
        }

        ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return high;
    }

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
