using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// What viewers see: at most <c>MaxPerSecond</c> co-plays in any second of event time, chosen per window by
/// distance, then plays, then track id. A window gets its share of the second (at least one while the second's
/// budget lasts). Every co-play still goes to the results sinks. Windows must be selected in time order.
/// </summary>
public sealed class ViewerSelection
{
    private static readonly Comparer<string> TrackOrder = Comparer<string>.Create(CoPlayOrder.CompareUtf8);

    private readonly int _maxPerSecond;
    private readonly int _perWindow;
    private long _second = long.MinValue;
    private int _shownThisSecond;

    public ViewerSelection(int maxPerSecond, int windowMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMs, 1);
        _maxPerSecond = maxPerSecond;
        long share = (long)maxPerSecond * windowMs / 1000;
        _perWindow = (int)Math.Clamp(share, maxPerSecond == 0 ? 0 : 1, int.MaxValue);
    }

    /// <summary>The most co-plays one window can show: its own share, or its second's whole budget.</summary>
    public int MaxPerWindow => Math.Max(_perWindow, _maxPerSecond);

    public IReadOnlyList<CoPlay> Select(long windowStartMs, IReadOnlyList<CoPlay> windowCoPlays)
    {
        long second = Math.DivRem(windowStartMs, 1000, out long rem) - (rem < 0 ? 1 : 0);
        if (second != _second)
        {
            _second = second;
            _shownThisSecond = 0;
        }

        // Windows of a second or longer have their own share; shorter ones share their second's budget.
        int limit = _perWindow >= _maxPerSecond ? _perWindow : Math.Min(_perWindow, _maxPerSecond - _shownThisSecond);
        if (limit <= 0 || windowCoPlays.Count == 0)
        {
            return [];
        }

        IReadOnlyList<CoPlay> selected = windowCoPlays.Count <= limit
            ? windowCoPlays
            : windowCoPlays
                .OrderByDescending(c => c.DistanceKm)
                .ThenByDescending(c => c.Plays)
                .ThenBy(c => c.TrackId, TrackOrder)
                .Take(limit)
                .ToList();
        _shownThisSecond += selected.Count;
        return selected;
    }
}
