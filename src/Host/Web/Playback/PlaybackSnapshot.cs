using ListeningTogether.Replay.Output.Sinks;
using ListeningTogether.Replay.Playback;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// The kept minutes at one scan. A replay output covers every minute from its first co-play's to its last's (a
/// minute without co-plays in it counts 0); a live minute exists when its file does.
/// </summary>
internal sealed class PlaybackSnapshot(IReadOnlyList<CoPlayFileMinutes> replay, string? liveRoot, IReadOnlySet<long> liveMinutes)
{
    public static readonly PlaybackSnapshot Empty = new([], null, new HashSet<long>());

    /// <summary>The kept range: the first kept minute's start and the last one's end (epoch ms), or null when nothing is kept.</summary>
    public (long FromMs, long ToMs)? Range()
    {
        long? first = null;
        long? last = null;
        foreach (CoPlayFileMinutes file in replay)
        {
            if (file.FirstMinuteMs is long f && file.LastMinuteMs is long l)
            {
                first = first is null ? f : Math.Min(first.Value, f);
                last = last is null ? l : Math.Max(last.Value, l);
            }
        }

        if (liveMinutes.Count > 0)
        {
            first = first is null ? liveMinutes.Min() : Math.Min(first.Value, liveMinutes.Min());
            last = last is null ? liveMinutes.Max() : Math.Max(last.Value, liveMinutes.Max());
        }

        return first is long from && last is long to ? (from, to + CoPlayMinuteFiles.MinuteMs) : null;
    }

    /// <summary>The source of <paramref name="minuteMs"/>: the first replay output covering it, else its live file; null when none keeps it.</summary>
    public MinuteSource? SourceOf(long minuteMs)
    {
        foreach (CoPlayFileMinutes file in replay)
        {
            if (file.FirstMinuteMs <= minuteMs && minuteMs <= file.LastMinuteMs)
            {
                return new MinuteSource(file.Path, file);
            }
        }

        return liveRoot is not null && liveMinutes.Contains(minuteMs)
            ? new MinuteSource(CoPlayMinuteFiles.PathOf(liveRoot, minuteMs), null)
            : null;
    }
}
