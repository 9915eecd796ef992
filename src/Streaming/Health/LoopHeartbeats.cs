using System.Collections.Concurrent;

namespace ListeningTogether.Streaming.Health;

/// <summary>
/// The loops of the process and when each last made progress, for <c>/healthz</c>. A loop beats while it handles
/// messages, while it waits for a quiet source, and while it waits out a failing write; only a loop that is stuck
/// (or died without ending) stops beating.
/// </summary>
public sealed class LoopHeartbeats(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, LoopHeartbeat> _loops = new(StringComparer.Ordinal);

    /// <summary>The heartbeat of the loop named <paramref name="loop"/>, beating from now.</summary>
    public LoopHeartbeat Start(string loop)
    {
        var heartbeat = new LoopHeartbeat(loop, clock);
        _loops[loop] = heartbeat;
        return heartbeat;
    }

    /// <summary>Every loop made progress now (a loop waiting out a failing write, which ends the process if it lasts).</summary>
    public void BeatAll()
    {
        foreach (LoopHeartbeat loop in _loops.Values)
        {
            loop.Beat();
        }
    }

    /// <summary>The running loops whose last beat is older than <paramref name="stalledAfter"/>.</summary>
    public IReadOnlyList<(string Loop, TimeSpan Since)> Stalled(TimeSpan stalledAfter)
    {
        long now = clock.GetTimestamp();
        return [.. _loops.Values
            .Where(l => !l.HasEnded && !l.IsIdle)
            .Select(l => (l.Name, Since: clock.GetElapsedTime(l.LastBeat, now)))
            .Where(l => l.Since > stalledAfter)];
    }
}

/// <summary>One loop's progress: <see cref="Beat"/> as it goes, <see cref="End"/> when it returns.</summary>
public sealed class LoopHeartbeat
{
    private readonly TimeProvider _clock;
    private long _lastBeat;
    private volatile bool _ended;
    private volatile bool _idle;

    public LoopHeartbeat(string name, TimeProvider clock)
    {
        Name = name;
        _clock = clock;
        _lastBeat = clock.GetTimestamp();
    }

    public string Name { get; }

    public long LastBeat => Interlocked.Read(ref _lastBeat);

    public bool HasEnded => _ended;

    /// <summary>Waiting for its source, which may stay silent as long as it likes.</summary>
    public bool IsIdle => _idle;

    public void Beat()
    {
        _idle = false;
        Interlocked.Exchange(ref _lastBeat, _clock.GetTimestamp());
    }

    /// <summary>The loop waits for its source now; it counts as making progress until its next <see cref="Beat"/>.</summary>
    public void Idle() => _idle = true;

    public void End() => _ended = true;
}
