using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming;

/// <summary>Running totals of the streaming pipeline, safe to read from other threads (health, logs, metrics).</summary>
public sealed class PipelineCounters
{
    private readonly long[] _ineligible = new long[IneligibleReasons.Count];
    private long _records;
    private long _eligible;
    private long _coPlays;
    private long _windows;
    private long _archived;

    public long Records => Interlocked.Read(ref _records);

    public long Eligible => Interlocked.Read(ref _eligible);

    public long CoPlays => Interlocked.Read(ref _coPlays);

    public long Windows => Interlocked.Read(ref _windows);

    /// <summary>Plays on disk in the archive (records with a valid playedAt, when archiving is on).</summary>
    public long ArchivedPlays => Interlocked.Read(ref _archived);

    public long this[IneligibleReason reason] => Interlocked.Read(ref _ineligible[(int)reason]);

    public void Count(IneligibleReason reason)
    {
        Interlocked.Increment(ref _records);
        if (reason == IneligibleReason.None)
        {
            Interlocked.Increment(ref _eligible);
        }
        else
        {
            Interlocked.Increment(ref _ineligible[(int)reason]);
        }
    }

    private long _watermarkMs = long.MinValue;
    private long _openWindows;

    /// <summary>The engine's watermark (epoch ms), or null before the first play.</summary>
    public long? WatermarkMs => Interlocked.Read(ref _watermarkMs) is var w && w == long.MinValue ? null : w;

    public long OpenWindows => Interlocked.Read(ref _openWindows);

    public void Engine(long? watermarkMs, int openWindows)
    {
        Interlocked.Exchange(ref _watermarkMs, watermarkMs ?? long.MinValue);
        Interlocked.Exchange(ref _openWindows, openWindows);
    }

    /// <summary>The archive has the first <paramref name="durable"/> plays of this process on disk.</summary>
    public void ArchivedUpTo(long durable)
    {
        long seen = Interlocked.Read(ref _archived);
        while (durable > seen && Interlocked.CompareExchange(ref _archived, durable, seen) is var before && before != seen)
        {
            seen = before;
        }
    }

    private long _shownIncomplete;
    private long _lateAtSite;

    /// <summary>Windows a site showed after its completeness timeout, without every match shard.</summary>
    public long WindowsShownIncomplete => Interlocked.Read(ref _shownIncomplete);

    /// <summary>Co-plays a site received for a window it had already shown.</summary>
    public long CoPlaysLateAtSite => Interlocked.Read(ref _lateAtSite);

    public void ShownIncomplete() => Interlocked.Increment(ref _shownIncomplete);

    public void LateAtSite() => Interlocked.Increment(ref _lateAtSite);

    public void Emitted(int coPlays)
    {
        Interlocked.Increment(ref _windows);
        Interlocked.Add(ref _coPlays, coPlays);
    }
}
