using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>Result order: window start, then track id by its UTF-8 bytes (code point order, as DuckDB and Spark sort).</summary>
public sealed class CoPlayOrder : IComparer<CoPlay>
{
    public static CoPlayOrder Instance { get; } = new();

    public int Compare(CoPlay? x, CoPlay? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int c = x.WindowStartMs.CompareTo(y.WindowStartMs);
        return c != 0 ? c : CompareUtf8(x.TrackId, y.TrackId);
    }

    /// <summary>Compares strings as their UTF-8 bytes would compare, without encoding them.</summary>
    public static int CompareUtf8(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char ca = a[i], cb = b[i];
            if (ca != cb)
            {
                return CodePointRank(ca).CompareTo(CodePointRank(cb));
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    // UTF-16 orders surrogates (supplementary code points) below U+E000..U+FFFF; UTF-8 orders them above.
    private static int CodePointRank(char c) => c switch
    {
        >= '\uD800' and <= '\uDFFF' => c + 0x2000,
        >= '\uE000' => c - 0x800,
        _ => c,
    };
}
