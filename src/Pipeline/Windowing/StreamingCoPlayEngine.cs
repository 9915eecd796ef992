using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// Event-time windows for a stream: the watermark is the largest playedAt seen minus the allowed lateness; a
/// window is emitted once the watermark reaches its end, and a play for an emitted window is late. After
/// <c>IdleFlushMs</c> of processing time without plays every open window is emitted and the watermark moves to
/// the end of the latest one (never to the processing clock). Not thread-safe: one engine per matcher loop.
/// </summary>
/// <remarks>
/// With a start hold, the watermark stays where it is for that long of processing time after the first play.
/// After a crash the transport hands the plays the crashed worker held out again only once their ack deadline has
/// passed, while fresh plays come at once; without the hold those fresh plays would move the watermark past the
/// windows the held plays belong to, and they would come back late.
/// </remarks>
public sealed class StreamingCoPlayEngine
{
    private readonly WindowAssigner _windows;
    private readonly long _allowedLatenessMs;
    private readonly long _idleFlushMs;
    private readonly long _maxFutureSkewMs;
    private readonly long _startHoldMs;
    private readonly CoPlayMatcher _matcher;
    private readonly TimeProvider _clock;
    private readonly SortedDictionary<long, OpenWindow> _open = [];
    private readonly Stack<TrackWindowGroup> _spareGroups = new();
    private readonly Stack<OpenWindow> _spareWindows = new();
    private readonly Stack<List<object>> _spareAcks = new();
    private long _maxPlayedAtMs = long.MinValue;
    private long _watermarkMs = long.MinValue;
    private long _lastPlayTimestamp;
    private long? _firstPlayTimestamp;
    private bool _holding;

    /// <param name="matching">The co-play rule's settings, for the engine's matcher.</param>
    /// <param name="startHoldMs">How long the watermark stays put after the first play (see the remarks); 0 for none.</param>
    public StreamingCoPlayEngine(WindowAssigner windows, long allowedLatenessMs, long idleFlushMs, long maxFutureSkewMs, MatchingOptions matching, TimeProvider clock, long startHoldMs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allowedLatenessMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(idleFlushMs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(startHoldMs);
        _windows = windows;
        _allowedLatenessMs = allowedLatenessMs;
        _idleFlushMs = idleFlushMs;
        _maxFutureSkewMs = maxFutureSkewMs;
        _startHoldMs = startHoldMs;
        _holding = startHoldMs > 0;
        _matcher = new CoPlayMatcher(matching);
        _clock = clock;
        _lastPlayTimestamp = clock.GetTimestamp();
    }

    /// <summary>The current watermark, or null before the first play.</summary>
    public long? WatermarkMs => _watermarkMs == long.MinValue ? null : _watermarkMs;

    public int OpenWindows => _open.Count;

    /// <summary>
    /// Adds an eligible play. Returns <see cref="IneligibleReason.None"/> when it was placed in its window,
    /// <see cref="IneligibleReason.FuturePlayedAt"/> or <see cref="IneligibleReason.Late"/> when it was dropped.
    /// </summary>
    public IneligibleReason Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, Location location, object? ack = null) =>
        Add(trackId, eventId, playedAtMs, new GeoPoint(location), ack);

    /// <summary>As <see cref="Add(ReadOnlySpan{byte}, ReadOnlySpan{byte}, long, Location, object?)"/> with a shared, precomputed point.</summary>
    public IneligibleReason Add(ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point, object? ack = null)
    {
        if (playedAtMs > _clock.GetUtcNow().ToUnixTimeMilliseconds() + _maxFutureSkewMs)
        {
            return IneligibleReason.FuturePlayedAt;
        }

        EndHoldIfDue();
        long windowStart = _windows.WindowStart(playedAtMs);
        if (_windows.WindowEnd(windowStart) <= _watermarkMs)
        {
            return IneligibleReason.Late;
        }

        if (!_open.TryGetValue(windowStart, out OpenWindow? window))
        {
            if (_spareWindows.TryPop(out window))
            {
                window.Groups.Recycle(windowStart);
            }
            else
            {
                window = new OpenWindow(new WindowGroups(windowStart, _spareGroups));
            }

            _open.Add(windowStart, window);
        }

        window.Groups.GetOrAdd(trackId).Add(eventId, playedAtMs, point);
        if (ack is not null)
        {
            window.Acks.Add(ack);
        }

        _lastPlayTimestamp = _clock.GetTimestamp();
        _firstPlayTimestamp ??= _lastPlayTimestamp;
        if (playedAtMs > _maxPlayedAtMs)
        {
            _maxPlayedAtMs = playedAtMs;
            if (!_holding)
            {
                _watermarkMs = Math.Max(_watermarkMs, playedAtMs - _allowedLatenessMs);
            }
        }

        return IneligibleReason.None;
    }

    /// <summary>Emits, in window order, every open window whose end the watermark has reached.</summary>
    public void EmitReady(List<EmittedWindow> output)
    {
        EndHoldIfDue();
        while (_open.Count > 0)
        {
            long first = FirstOpen();
            if (_windows.WindowEnd(first) > _watermarkMs)
            {
                return;
            }

            output.Add(Emit(first));
        }
    }

    /// <summary>Emits every open window when no play arrived for the idle-flush time; returns whether it did.</summary>
    public bool FlushIfIdle(List<EmittedWindow> output)
    {
        if (_open.Count == 0 || _clock.GetElapsedTime(_lastPlayTimestamp).TotalMilliseconds < _idleFlushMs)
        {
            return false;
        }

        FlushAll(output);
        return true;
    }

    /// <summary>Emits every open window (idle flush or end of input) and moves the watermark to the end of the latest.</summary>
    public void FlushAll(List<EmittedWindow> output)
    {
        while (_open.Count > 0)
        {
            long first = FirstOpen();
            _watermarkMs = Math.Max(_watermarkMs, _windows.WindowEnd(first));
            output.Add(Emit(first));
        }
    }

    /// <summary>
    /// Hands back an emitted window once its acknowledgements are done, so its list is reused: at tens of thousands
    /// of plays a window, a fresh list each window would be a large-object allocation every second.
    /// </summary>
    public void Release(EmittedWindow window)
    {
        if (window.Acks is List<object> acks && _spareAcks.Count < 8)
        {
            acks.Clear();
            _spareAcks.Push(acks);
        }
    }

    /// <summary>Once the start hold has passed, moves the watermark to where the plays seen meanwhile put it.</summary>
    private void EndHoldIfDue()
    {
        if (!_holding || _firstPlayTimestamp is not long first || _clock.GetElapsedTime(first).TotalMilliseconds < _startHoldMs)
        {
            return;
        }

        _holding = false;
        _watermarkMs = Math.Max(_watermarkMs, _maxPlayedAtMs - _allowedLatenessMs);
    }

    private long FirstOpen()
    {
        using var e = _open.Keys.GetEnumerator();
        e.MoveNext();
        return e.Current;
    }

    private EmittedWindow Emit(long windowStart)
    {
        OpenWindow window = _open[windowStart];
        _open.Remove(windowStart);
        var coPlays = new List<CoPlay>();
        long plays = 0;
        foreach (TrackWindowGroup group in window.Groups.All())
        {
            if (_matcher.Match(group, out int groupPlays) is { } coPlay)
            {
                coPlays.Add(coPlay);
            }

            plays += groupPlays;
        }

        coPlays.Sort(CoPlayOrder.Instance);
        var emitted = new EmittedWindow(windowStart, coPlays, plays, window.Acks);
        window.Groups.Recycle(windowStart);
        window.Acks = _spareAcks.TryPop(out List<object>? acks) ? acks : [];
        if (_spareWindows.Count < 8)
        {
            _spareWindows.Push(window);
        }

        return emitted;
    }

    private sealed record OpenWindow(WindowGroups Groups)
    {
        public List<object> Acks { get; set; } = [];
    }
}
