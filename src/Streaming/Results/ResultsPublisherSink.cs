using System.Buffers;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Streaming.Sinks;

namespace ListeningTogether.Streaming.Results;

/// <summary>
/// The match stage's results (DESIGN.md "One world view"): every co-play, with the shard its track's plays came from,
/// to the results topic or hub keyed by track; then, once a window's co-plays are held by the transport, a watermark
/// for each shard this replica owns, with how many of its co-plays each newly completed window had, so that every
/// site can tell when it has all of a window. Watermarks go out when a window boundary is passed; an idle replica
/// says so every window instead. Each watermark repeats a window's count until the watermark is
/// <see cref="CountsHorizonMs"/> of event time past the first watermark that carried it, not only those since the
/// previous one: Pub/Sub keeps no order, and a site that gets a later watermark before an earlier one must still
/// learn how many co-plays to wait for. Counted from its first watermark, not from the window, so that the windows of
/// one emission after a stall (a restart's catch-up, the end of a stream) are all announced at least once. A shard
/// this replica comes to own (Event Hubs load balancing) is spoken for from the next watermark on; one it lost, no
/// more. Without <see cref="IMatchShards"/> co-plays go without shard or watermarks.
/// </summary>
public sealed class ResultsPublisherSink(IKeyedPublisher publisher, ICoPlayMessageFormat format, IMatchShards? shards, int windowMs, TimeProvider clock)
    : ICoPlaySink, IWindowProgress
{
    /// <summary>For how much event time after its first watermark a window's count is repeated.</summary>
    public const long CountsHorizonMs = 10_000;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>Per shard, the co-plays published per window start, and the first watermark that announced them.</summary>
    private readonly Dictionary<int, SortedDictionary<long, WindowCount>> _counts = [];
    private readonly List<long> _windowStarts = [];
    private readonly Dictionary<int, string> _keys = [];
    private long _publishedWindows = long.MinValue;
    private long? _lastIdle;
    private bool _newCounts;

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        // Published together so a batching transport sends a window in few requests; done when all are durable.
        var published = new Task[coPlays.Count];
        var shardOf = new int[coPlays.Count];
        for (int i = 0; i < coPlays.Count; i++)
        {
            _buffer.ResetWrittenCount();
            shardOf[i] = shards?.ShardOf(coPlays[i].TrackId) ?? ResultsMessage.UnknownShard;
            published[i] = publisher.PublishAsync(coPlays[i].TrackId, format.Write(_buffer, coPlays[i], shardOf[i]), cancellationToken).AsTask();
        }

        await TransportFlush.WaitOrThrowAsync(publisher, Task.WhenAll(published), clock, cancellationToken).ConfigureAwait(false);
        await TransportFlush.FlushOrThrowAsync(publisher, clock, cancellationToken).ConfigureAwait(false);
        if (shards is null)
        {
            return;
        }

        // Counted only once durable, and set rather than added: a retried write publishes the window again, and
        // counts it once.
        foreach (IGrouping<(int Shard, long WindowStart), CoPlay> window in coPlays.Select((c, i) => (CoPlay: c, Shard: shardOf[i])).GroupBy(x => (x.Shard, x.CoPlay.WindowStartMs), x => x.CoPlay))
        {
            CountsOf(window.Key.Shard)[window.Key.WindowStart] = new WindowCount(window.Count(), FirstSentMs: null);
            _newCounts = true;
        }
    }

    public async ValueTask ReportAsync(long? watermarkMs, bool idle, CancellationToken cancellationToken)
    {
        if (shards is null || shards.Count < 1)
        {
            // A replica that cannot say which shards it speaks for publishes no watermarks: sites show its windows after their timeout.
            return;
        }

        long mark = watermarkMs ?? 0;
        if (idle && !_newCounts)
        {
            long now = clock.GetTimestamp();
            if (_lastIdle is long last && clock.GetElapsedTime(last, now).TotalMilliseconds < windowMs)
            {
                return;
            }

            await PublishAsync(mark, idle: true, cancellationToken).ConfigureAwait(false);
            _lastIdle = now;
            return;
        }

        long windows = Math.DivRem(mark, windowMs, out long rest) - (rest < 0 ? 1 : 0);
        if (watermarkMs is null || (windows <= _publishedWindows && !_newCounts))
        {
            return;
        }

        ForgetAnnouncedBefore(mark - CountsHorizonMs);
        await PublishAsync(mark, idle: false, cancellationToken).ConfigureAwait(false);
        MarkSent(mark);
        _newCounts = false;
        _publishedWindows = windows;

        // An idle watermark carries no counts: the first one waits a window, so the counts get there ahead of it.
        _lastIdle = clock.GetTimestamp();
    }

    /// <summary>One watermark for each owned shard, then one flush: done when all are durable.</summary>
    private async ValueTask PublishAsync(long mark, bool idle, CancellationToken cancellationToken)
    {
        int count = shards!.Count;
        var published = new List<Task>();
        foreach (int shard in shards.Owned)
        {
            IReadOnlyDictionary<long, int> counts = idle || !_counts.TryGetValue(shard, out SortedDictionary<long, WindowCount>? held)
                ? ShardWatermark.NoCounts
                : held.ToDictionary(c => c.Key, c => c.Value.CoPlays);
            _buffer.ResetWrittenCount();
            published.Add(publisher.PublishAsync(KeyOf(shard), format.Write(_buffer, new ShardWatermark(shard, count, mark, idle, counts)), cancellationToken).AsTask());
        }

        await TransportFlush.WaitOrThrowAsync(publisher, Task.WhenAll(published), clock, cancellationToken).ConfigureAwait(false);
        await TransportFlush.FlushOrThrowAsync(publisher, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the counts whose first watermark is older than <paramref name="firstSentBeforeMs"/>; a count never sent stays.</summary>
    private void ForgetAnnouncedBefore(long firstSentBeforeMs)
    {
        foreach (SortedDictionary<long, WindowCount> counts in _counts.Values)
        {
            _windowStarts.Clear();
            _windowStarts.AddRange(counts.Where(c => c.Value.FirstSentMs < firstSentBeforeMs).Select(c => c.Key));
            foreach (long windowStart in _windowStarts)
            {
                counts.Remove(windowStart);
            }
        }
    }

    private void MarkSent(long mark)
    {
        foreach (SortedDictionary<long, WindowCount> counts in _counts.Values)
        {
            _windowStarts.Clear();
            _windowStarts.AddRange(counts.Where(c => c.Value.FirstSentMs is null).Select(c => c.Key));
            foreach (long windowStart in _windowStarts)
            {
                counts[windowStart] = counts[windowStart] with { FirstSentMs = mark };
            }
        }
    }

    private SortedDictionary<long, WindowCount> CountsOf(int shard)
    {
        if (!_counts.TryGetValue(shard, out SortedDictionary<long, WindowCount>? counts))
        {
            counts = [];
            _counts.Add(shard, counts);
        }

        return counts;
    }

    private string KeyOf(int shard)
    {
        if (!_keys.TryGetValue(shard, out string? key))
        {
            key = "watermark-" + shard.ToString(CultureInfo.InvariantCulture);
            _keys.Add(shard, key);
        }

        return key;
    }

    /// <summary>A window's co-plays from one shard, and the watermark that first announced them (null: not yet).</summary>
    private readonly record struct WindowCount(int CoPlays, long? FirstSentMs);
}
