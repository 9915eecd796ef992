using System.Buffers;
using System.Globalization;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Results;

/// <summary>
/// The match stage's results (DESIGN.md "One world view"): every co-play, with this replica's shard, to the results
/// topic or hub keyed by track; then, once a window's co-plays are held by the transport, the shard's watermark with
/// how many co-plays each newly completed window had, so that every site can tell when it has all of a window. A
/// watermark goes out when a window boundary is passed; an idle shard says so every window instead. Each watermark
/// repeats the counts of the windows completed in the last <see cref="CountsHorizonMs"/> of event time, not only those
/// since the previous one: Pub/Sub keeps no order, and a site that gets a later watermark before an earlier one must
/// still learn how many co-plays to wait for. Without a
/// <see cref="MatchShard"/> (the transport shares partitions out by load balancing) co-plays go without shard or watermarks.
/// </summary>
public sealed class ResultsPublisherSink(IKeyedPublisher publisher, ICoPlayMessageFormat format, MatchShard? shard, int windowMs, TimeProvider clock)
    : ICoPlaySink, IWindowProgress
{
    /// <summary>How far back (event time) a watermark repeats its windows' counts.</summary>
    public const long CountsHorizonMs = 10_000;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly SortedDictionary<long, int> _counts = [];
    private readonly string _key = "watermark-" + shard?.Index.ToString(CultureInfo.InvariantCulture);
    private long _publishedWindows = long.MinValue;
    private long? _lastIdle;
    private bool _newCounts;

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        // Published together so a batching transport sends a window in few requests; done when all are durable.
        var published = new Task[coPlays.Count];
        for (int i = 0; i < coPlays.Count; i++)
        {
            _buffer.ResetWrittenCount();
            published[i] = publisher.PublishAsync(coPlays[i].TrackId, format.Write(_buffer, coPlays[i], shard?.Index ?? ResultsMessage.UnknownShard), cancellationToken).AsTask();
        }

        await Task.WhenAll(published).ConfigureAwait(false);
        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Counted only once durable: a retried write publishes the window again, and counts it once.
        foreach (long windowStart in coPlays.Select(c => c.WindowStartMs).Distinct())
        {
            _counts[windowStart] = coPlays.Count(c => c.WindowStartMs == windowStart);
            _newCounts = true;
        }
    }

    public async ValueTask ReportAsync(long? watermarkMs, bool idle, CancellationToken cancellationToken)
    {
        if (shard is null)
        {
            // A replica that cannot say which shard it is publishes no watermarks: sites show its windows after their timeout.
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

            await PublishAsync(new ShardWatermark(shard.Index, shard.Count, mark, Idle: true, ShardWatermark.NoCounts), cancellationToken).ConfigureAwait(false);
            _lastIdle = now;
            return;
        }

        long windows = Math.DivRem(mark, windowMs, out long rest) - (rest < 0 ? 1 : 0);
        if (watermarkMs is null || (windows <= _publishedWindows && !_newCounts))
        {
            return;
        }

        while (_counts.Count > 0 && _counts.First().Key < mark - CountsHorizonMs)
        {
            _counts.Remove(_counts.First().Key);
        }

        await PublishAsync(new ShardWatermark(shard.Index, shard.Count, mark, Idle: false, new Dictionary<long, int>(_counts)), cancellationToken).ConfigureAwait(false);
        _newCounts = false;
        _publishedWindows = windows;

        // An idle watermark carries no counts: the first one waits a window, so the counts get there ahead of it.
        _lastIdle = clock.GetTimestamp();
    }

    private async ValueTask PublishAsync(ShardWatermark watermark, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        await publisher.PublishAsync(_key, format.Write(_buffer, watermark), cancellationToken).ConfigureAwait(false);
        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
