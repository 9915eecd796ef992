namespace ListeningTogether.Pipeline.Windowing;

/// <summary>
/// When the windows of a stream are complete (DESIGN.md "Streaming semantics"): the largest playedAt seen minus the
/// allowed lateness, never moving back. A window whose end it has reached is complete, and a play for it is late.
/// After <c>IdleFlushMs</c> of processing time without plays the stream is idle: its open windows may be flushed,
/// and the watermark then moves to the end of the latest of them (never to the processing clock). A play more than
/// <c>MaxFutureSkewMs</c> ahead of the processing clock is refused. Not thread-safe: one per matcher loop.
/// </summary>
/// <remarks>
/// With a start hold, the watermark stays where it is for that long of processing time after the first play.
/// After a crash the transport hands the plays the crashed worker held out again only once their ack deadline has
/// passed, while fresh plays come at once; without the hold those fresh plays would move the watermark past the
/// windows the held plays belong to, and they would come back late.
/// </remarks>
public sealed class Watermark
{
    private readonly long _allowedLatenessMs;
    private readonly long _idleFlushMs;
    private readonly long _maxFutureSkewMs;
    private readonly long _startHoldMs;
    private readonly TimeProvider _clock;
    private long _maxPlayedAtMs = long.MinValue;
    private long _watermarkMs = long.MinValue;
    private long _lastPlayTimestamp;
    private long? _firstPlayTimestamp;
    private bool _holding;

    /// <param name="startHoldMs">How long the watermark stays put after the first play (see the remarks); 0 for none.</param>
    public Watermark(long allowedLatenessMs, long idleFlushMs, long maxFutureSkewMs, TimeProvider clock, long startHoldMs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allowedLatenessMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(idleFlushMs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(startHoldMs);
        _allowedLatenessMs = allowedLatenessMs;
        _idleFlushMs = idleFlushMs;
        _maxFutureSkewMs = maxFutureSkewMs;
        _startHoldMs = startHoldMs;
        _holding = startHoldMs > 0;
        _clock = clock;
        _lastPlayTimestamp = clock.GetTimestamp();
    }

    /// <summary>The watermark (epoch ms), or null before the first play.</summary>
    public long? Ms => _watermarkMs == long.MinValue ? null : _watermarkMs;

    /// <summary>Whether no play was placed for the idle-flush time of processing time.</summary>
    public bool IsIdle => _clock.GetElapsedTime(_lastPlayTimestamp).TotalMilliseconds >= _idleFlushMs;

    /// <summary>Whether <paramref name="playedAtMs"/> is further ahead of the processing clock than the stream allows.</summary>
    public bool IsTooFarAhead(long playedAtMs) => playedAtMs > _clock.GetUtcNow().ToUnixTimeMilliseconds() + _maxFutureSkewMs;

    /// <summary>Whether the watermark has reached <paramref name="windowEndMs"/>: that window is complete.</summary>
    public bool HasReached(long windowEndMs) => windowEndMs <= _watermarkMs;

    /// <summary>A play at <paramref name="playedAtMs"/> was placed in its window now.</summary>
    public void Observe(long playedAtMs)
    {
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
    }

    /// <summary>Moves the watermark to <paramref name="windowEndMs"/> when it is behind it: a window was flushed.</summary>
    public void AdvanceTo(long windowEndMs) => _watermarkMs = Math.Max(_watermarkMs, windowEndMs);

    /// <summary>Once the start hold has passed, moves the watermark to where the plays seen meanwhile put it.</summary>
    public void EndHoldIfDue()
    {
        if (!_holding || _firstPlayTimestamp is not long first || _clock.GetElapsedTime(first).TotalMilliseconds < _startHoldMs)
        {
            return;
        }

        _holding = false;
        _watermarkMs = Math.Max(_watermarkMs, _maxPlayedAtMs - _allowedLatenessMs);
    }
}
