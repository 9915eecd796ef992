using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// What viewers see of one window: at most <c>MaxPerSecond</c> co-plays a second, chosen by distance, then plays,
/// then track id. Every co-play still goes to the results sinks.
/// </summary>
public sealed class ViewerSelection
{
    private readonly int _perWindow;

    public ViewerSelection(int maxPerSecond, int windowMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSecond);
        _perWindow = (int)Math.Max(maxPerSecond == 0 ? 0 : 1, (long)maxPerSecond * windowMs / 1000);
    }

    public IReadOnlyList<CoPlay> Select(IReadOnlyList<CoPlay> windowCoPlays)
    {
        if (windowCoPlays.Count <= _perWindow)
        {
            return windowCoPlays;
        }

        return windowCoPlays
            .OrderByDescending(c => c.DistanceKm)
            .ThenByDescending(c => c.Plays)
            .ThenBy(c => c.TrackId, Comparer<string>.Create(CoPlayOrder.CompareUtf8))
            .Take(_perWindow)
            .ToList();
    }
}
