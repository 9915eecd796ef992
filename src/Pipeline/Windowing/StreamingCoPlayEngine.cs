using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// Event-time windows for a stream, as three separate values: <see cref="WindowAssigner"/> says where a play goes,
/// <see cref="Watermark"/> when a window is complete (and how late a play may be), the open windows hold what is
/// not emitted yet; each complete window is matched into its co-plays. <typeparamref name="TAck"/> is what the
/// caller attaches to a play (its message), handed back with the window once it is emitted. Not thread-safe: one
/// engine per matcher loop.
/// </summary>
public sealed class StreamingCoPlayEngine<TAck>
    where TAck : class
{
    private readonly WindowAssigner _windows;
    private readonly Watermark _watermark;
    private readonly OpenWindows<TAck> _open = new();
    private readonly CoPlayMatcher _matcher;

    /// <param name="matching">The co-play rule's settings, for the engine's matcher.</param>
    /// <param name="startHoldMs">How long the watermark stays put after the first play (see <see cref="Watermark"/>); 0 for none.</param>
    public StreamingCoPlayEngine(WindowAssigner windows, long allowedLatenessMs, long idleFlushMs, long maxFutureSkewMs, MatchingOptions matching, TimeProvider clock, long startHoldMs = 0)
        : this(windows, new Watermark(allowedLatenessMs, idleFlushMs, maxFutureSkewMs, clock, startHoldMs), matching)
    {
    }

    public StreamingCoPlayEngine(WindowAssigner windows, Watermark watermark, MatchingOptions matching)
    {
        _windows = windows;
        _watermark = watermark;
        _matcher = new CoPlayMatcher(matching);
    }

    /// <summary>The current watermark, or null before the first play.</summary>
    public long? WatermarkMs => _watermark.Ms;

    public int OpenWindows => _open.Count;

    /// <summary>
    /// How far every window is done with, or null before the first play: every window ending at or before it has
    /// been emitted (or had no plays), and a play for it would be late. The watermark, held back to the start of the
    /// earliest open window while that one waits to be emitted.
    /// </summary>
    public long? CompleteThroughMs => _watermark.Ms is long w && _open.TryGetFirst(out long first) ? Math.Min(w, first) : _watermark.Ms;

    /// <summary>Whether no play was placed for the idle-flush time of processing time.</summary>
    public bool IsIdle => _watermark.IsIdle;

    /// <summary>
    /// Adds an eligible play. Returns <see cref="IneligibleReason.None"/> when it was placed in its window,
    /// <see cref="IneligibleReason.FuturePlayedAt"/> or <see cref="IneligibleReason.Late"/> when it was dropped.
    /// </summary>
    public IneligibleReason Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, Location location, TAck? ack = null) =>
        Add(trackId, eventId, playedAtMs, new GeoPoint(location), ack);

    /// <summary>As <see cref="Add(ReadOnlySpan{byte}, ReadOnlySpan{byte}, long, Location, TAck)"/> with a shared, precomputed point.</summary>
    public IneligibleReason Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point, TAck? ack = null)
    {
        if (_watermark.IsTooFarAhead(playedAtMs))
        {
            return IneligibleReason.FuturePlayedAt;
        }

        _watermark.EndHoldIfDue();
        long windowStart = _windows.WindowStart(playedAtMs);
        if (_watermark.HasReached(_windows.WindowEnd(windowStart)))
        {
            return IneligibleReason.Late;
        }

        _open.Add(windowStart, trackId, eventId, playedAtMs, point, ack);
        _watermark.Observe(playedAtMs);
        return IneligibleReason.None;
    }

    /// <summary>Emits, in window order, every open window whose end the watermark has reached.</summary>
    public void EmitReady(List<EmittedWindow<TAck>> output)
    {
        _watermark.EndHoldIfDue();
        while (_open.TryGetFirst(out long first) && _watermark.HasReached(_windows.WindowEnd(first)))
        {
            output.Add(_open.Emit(first, _matcher));
        }
    }

    /// <summary>Emits every open window when no play arrived for the idle-flush time; returns whether it did.</summary>
    public bool FlushIfIdle(List<EmittedWindow<TAck>> output)
    {
        if (_open.Count == 0 || !_watermark.IsIdle)
        {
            return false;
        }

        FlushAll(output);
        return true;
    }

    /// <summary>Emits every open window (idle flush or end of input) and moves the watermark to the end of the latest.</summary>
    public void FlushAll(List<EmittedWindow<TAck>> output)
    {
        while (_open.TryGetFirst(out long first))
        {
            _watermark.AdvanceTo(_windows.WindowEnd(first));
            output.Add(_open.Emit(first, _matcher));
        }
    }

    /// <summary>
    /// Hands back an emitted window once its acknowledgements are done, so its list is reused: at tens of thousands
    /// of plays a window, a fresh list each window would be a large-object allocation every second.
    /// </summary>
    public void Release(EmittedWindow<TAck> window) => _open.Release(window);
}
