using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Replay.Range;

/// <summary>
/// The half-open event-time range [from, to) a replay is limited to (<c>--from</c>, <c>--to</c>); either side may be
/// open. Plays are milliseconds, so a bound with a fraction of a millisecond acts as the next whole one.
/// </summary>
public sealed record EventTimeRange
{
    public EventTimeRange(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } f && to is { } t && f >= t)
        {
            throw new ArgumentException($"The range is empty: from ({f:O}) must be before to ({t:O}).", nameof(to));
        }

        From = from;
        To = to;
        FromMs = from is { } start ? CeilingMs(start) : long.MinValue;
        ToMs = to is { } end ? CeilingMs(end) : long.MaxValue;
    }

    /// <summary>Every event time.</summary>
    public static EventTimeRange All { get; } = new(null, null);

    public DateTimeOffset? From { get; }

    public DateTimeOffset? To { get; }

    /// <summary>The first millisecond in the range (<see cref="long.MinValue"/> when open).</summary>
    public long FromMs { get; }

    /// <summary>The first millisecond after the range (<see cref="long.MaxValue"/> when open).</summary>
    public long ToMs { get; }

    public bool IsAll => From is null && To is null;

    public bool Contains(long ms) => ms >= FromMs && ms < ToMs;

    /// <summary>Whether [<paramref name="startMs"/>, <paramref name="endMs"/>) shares a millisecond with the range.</summary>
    public bool Overlaps(long startMs, long endMs) => startMs < ToMs && endMs > FromMs;

    /// <summary>
    /// Whether a classified record lies outside the range, by its playedAt, also when its ids were invalid (so replays
    /// of separate hours of one file never count a record twice). A record without a valid playedAt cannot be placed
    /// in time: it is never outside, and counts under its reason as usual.
    /// </summary>
    internal bool Excludes(IneligibleReason reason, bool hasPlayedAt, long playedAtMs, ReadOnlySpan<byte> jsonl)
    {
        if (hasPlayedAt)
        {
            return !Contains(playedAtMs);
        }

        return reason is IneligibleReason.InvalidEventId or IneligibleReason.InvalidTrackId
            && !IsAll && RecordPlayedAt.TryRead(jsonl, out long ms) && !Contains(ms);
    }

    /// <summary>
    /// As <see cref="Excludes(IneligibleReason, bool, long, ReadOnlySpan{byte})"/> for a classified Parquet row: its
    /// playedAt in ms (<see cref="Archive.ParquetRowOutcomes.NoPlayedAt"/> when not valid) and its raw played_at ticks.
    /// </summary>
    internal bool Excludes(IneligibleReason reason, long playedAtMs, long playedAtTicks)
    {
        if (playedAtMs != Archive.ParquetRowOutcomes.NoPlayedAt)
        {
            return !Contains(playedAtMs);
        }

        if (IsAll || reason is not (IneligibleReason.InvalidEventId or IneligibleReason.InvalidTrackId)
            || playedAtTicks is Archive.ParquetPlayColumns.NoPlayedAt or Archive.ParquetPlayColumns.FarPlayedAt)
        {
            return false;
        }

        long ms = Math.DivRem(playedAtTicks, TimeSpan.TicksPerMillisecond, out long rem) - (rem < 0 ? 1 : 0);
        return PlayedAtParser.IsInRange(ms) && !Contains(ms);
    }

    private static long CeilingMs(DateTimeOffset time)
    {
        long ticks = (time.UtcTicks - DateTime.UnixEpoch.Ticks);
        return (ticks / TimeSpan.TicksPerMillisecond) + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }
}
