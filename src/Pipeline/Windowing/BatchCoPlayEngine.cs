using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// Exact co-plays of a finite set of plays held in memory: no watermark, no lateness, any order. Replay uses it
/// per time bucket; tests use it as the batch side of streaming-equals-batch.
/// </summary>
public sealed class BatchCoPlayEngine
{
    private readonly WindowAssigner _windows;
    private readonly CoPlayMatcher _matcher;
    private readonly Dictionary<long, WindowGroups> _groups = [];
    private readonly Stack<TrackWindowGroup> _noSpareGroups = new();

    public BatchCoPlayEngine(WindowAssigner windows, CoPlayMatcher matcher)
    {
        _windows = windows;
        _matcher = matcher;
    }

    public void Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, Location location) =>
        Add(trackId, eventId, playedAtMs, new GeoPoint(location));

    /// <summary>As <see cref="Add(ReadOnlySpan{byte}, ReadOnlySpan{byte}, long, Location)"/> with a shared, precomputed point.</summary>
    public void Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point)
    {
        long windowStart = _windows.WindowStart(playedAtMs);
        if (!_groups.TryGetValue(windowStart, out WindowGroups? window))
        {
            window = new WindowGroups(windowStart, _noSpareGroups);
            _groups.Add(windowStart, window);
        }

        window.GetOrAdd(trackId).Add(eventId, playedAtMs, point);
    }

    /// <summary>The co-plays sorted by (window, track), and the totals a summary needs.</summary>
    public BatchResult Finish()
    {
        var coPlays = new List<CoPlay>();
        long distinctPlays = 0;
        foreach (WindowGroups window in _groups.Values)
        {
            foreach (TrackWindowGroup group in window.All())
            {
                if (_matcher.Match(group, out int groupPlays) is { } coPlay)
                {
                    coPlays.Add(coPlay);
                }

                distinctPlays += groupPlays;
            }
        }

        coPlays.Sort(CoPlayOrder.Instance);
        var result = new BatchResult(coPlays, distinctPlays, _groups.Count);
        _groups.Clear();
        return result;
    }
}

/// <param name="Windows">Distinct windows holding at least one eligible play.</param>
public sealed record BatchResult(IReadOnlyList<CoPlay> CoPlays, long DistinctPlays, long Windows);
