using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// The windows not yet emitted, in window order, each with its tracks' plays and the acks attached to them. Windows,
/// track groups and ack lists are pooled: at tens of thousands of plays a window, fresh ones each window would be
/// large-object allocations every second. Not thread-safe.
/// </summary>
internal sealed class OpenWindows<TAck>
    where TAck : class
{
    /// <summary>Most spare windows and ack lists kept for reuse.</summary>
    private const int MaxSpares = 8;

    private readonly SortedDictionary<long, OpenWindow> _open = [];
    private readonly Stack<TrackWindowGroup> _spareGroups = new();
    private readonly Stack<OpenWindow> _spareWindows = new();
    private readonly Stack<List<TAck>> _spareAcks = new();

    public int Count => _open.Count;

    /// <summary>The earliest open window's start; false when none is open.</summary>
    public bool TryGetFirst(out long windowStartMs)
    {
        using var e = _open.Keys.GetEnumerator();
        bool any = e.MoveNext();
        windowStartMs = any ? e.Current : 0;
        return any;
    }

    /// <summary>Adds a play to the window starting at <paramref name="windowStartMs"/>, opening it if need be.</summary>
    public void Add(long windowStartMs, ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point, TAck? ack)
    {
        if (!_open.TryGetValue(windowStartMs, out OpenWindow? window))
        {
            if (_spareWindows.TryPop(out window))
            {
                window.Groups.Recycle(windowStartMs);
            }
            else
            {
                window = new OpenWindow(new WindowGroups(windowStartMs, _spareGroups));
            }

            _open.Add(windowStartMs, window);
        }

        window.Groups.GetOrAdd(trackId).Add(eventId, playedAtMs, point);
        if (ack is not null)
        {
            window.Acks.Add(ack);
        }
    }

    /// <summary>Closes the window starting at <paramref name="windowStartMs"/> and gives its co-plays, sorted by track, and its acks.</summary>
    public EmittedWindow<TAck> Emit(long windowStartMs, CoPlayMatcher matcher)
    {
        OpenWindow window = _open[windowStartMs];
        _open.Remove(windowStartMs);
        var coPlays = new List<CoPlay>();
        long plays = 0;
        foreach (TrackWindowGroup group in window.Groups.All())
        {
            if (matcher.Match(group, out int groupPlays) is { } coPlay)
            {
                coPlays.Add(coPlay);
            }

            plays += groupPlays;
        }

        coPlays.Sort(CoPlayOrder.Instance);
        var emitted = new EmittedWindow<TAck>(windowStartMs, coPlays, plays, window.Acks);
        window.Groups.Recycle(windowStartMs);
        window.Acks = _spareAcks.TryPop(out List<TAck>? acks) ? acks : [];
        if (_spareWindows.Count < MaxSpares)
        {
            _spareWindows.Push(window);
        }

        return emitted;
    }

    /// <summary>Takes back an emitted window's ack list once its acknowledgements are done, for reuse.</summary>
    public void Release(EmittedWindow<TAck> window)
    {
        if (window.Acks is List<TAck> acks && _spareAcks.Count < MaxSpares)
        {
            acks.Clear();
            _spareAcks.Push(acks);
        }
    }

    private sealed record OpenWindow(WindowGroups Groups)
    {
        public List<TAck> Acks { get; set; } = [];
    }
}
