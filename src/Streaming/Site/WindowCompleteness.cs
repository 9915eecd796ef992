using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Streaming.Results;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Streaming.Site;

/// <summary>
/// When a site may show a window (DESIGN.md "One world view"). Shard K has all of window W once it has a watermark
/// at or past W's end (or says it is idle) and the site holds as many of K's co-plays for W as K announced. W is shown
/// once every shard has all of it, in window order; after <c>Site:CompletenessTimeoutMs</c> without that it is shown
/// anyway, as incomplete, and each shard it lacked is logged once per streak. A co-play of a window already shown is
/// late. Until the site has a watermark from every shard it cannot know which windows it saw from the start, so only
/// windows that end after every shard's first watermark are shown. Not thread-safe: one per site loop.
/// </summary>
public sealed partial class WindowCompleteness<TAck>(long windowMs, TimeSpan timeout, TimeProvider clock, ILogger logger)
{
    private readonly SortedDictionary<long, PendingWindow<TAck>> _pending = [];
    private ShardProgress?[] _shards = [];

    /// <summary>Per shard: a window was shown without it, and it has not had all of a window since (logged once per streak).</summary>
    private bool[] _lagging = [];
    private long? _startMs;
    private long _lastShownStartMs = long.MinValue;
    private bool _noShardLogged;

    /// <summary>Windows ending at or before this are never shown; null until every shard has sent a watermark.</summary>
    public long? StartMs => _startMs;

    public int Waiting => _pending.Count;

    public CoPlayArrival Add(CoPlay coPlay, int shard, TAck ack)
    {
        long start = coPlay.WindowStartMs;
        if (start <= _lastShownStartMs)
        {
            return CoPlayArrival.Late;
        }

        if (start + windowMs <= _startMs)
        {
            return CoPlayArrival.BeforeStart;
        }

        PendingWindow<TAck> window = Pending(start);
        if (!window.Add(coPlay, shard))
        {
            return CoPlayArrival.Repeat;
        }

        window.Acks.Add(ack);
        return CoPlayArrival.Waiting;
    }

    public void Add(ShardWatermark watermark)
    {
        if (watermark.Shards < 1 || watermark.Shard < 0 || watermark.Shard >= watermark.Shards)
        {
            return;
        }

        if (watermark.Shards != _shards.Length)
        {
            // The first watermark, or the shards were changed (drain, change, restart): start over with the new count.
            Array.Resize(ref _shards, watermark.Shards);
            Array.Resize(ref _lagging, watermark.Shards);
            _startMs = null;
        }

        ShardProgress shard = _shards[watermark.Shard] ??= new ShardProgress(watermark.WatermarkMs);
        shard.Advance(watermark.WatermarkMs, watermark.Idle);
        foreach ((long start, int count) in watermark.Counts)
        {
            if (start > _lastShownStartMs)
            {
                shard.Announced[start] = count;
                Pending(start);
            }
        }

        if (_startMs is null && Array.TrueForAll(_shards, s => s is not null))
        {
            _startMs = _shards.Max(s => s!.FirstWatermarkMs);
        }
    }

    /// <summary>Takes, in window order, every window the site is done waiting for.</summary>
    public void TakeReady(List<ShownWindow<TAck>> output)
    {
        while (_pending.Count > 0)
        {
            PendingWindow<TAck> window = _pending.First().Value;
            WindowOutcome outcome;
            if (window.StartMs + windowMs <= _startMs)
            {
                outcome = WindowOutcome.BeforeStart;
            }
            else if (IsComplete(window))
            {
                outcome = WindowOutcome.Complete;
            }
            else if (clock.GetElapsedTime(window.FirstHeard) >= timeout)
            {
                outcome = WindowOutcome.Incomplete;
                LogLaggingShards(window);
            }
            else
            {
                return;
            }

            _pending.Remove(window.StartMs);
            foreach (ShardProgress? shard in _shards)
            {
                shard?.Announced.Remove(window.StartMs);
            }

            if (outcome != WindowOutcome.BeforeStart)
            {
                _lastShownStartMs = window.StartMs;
            }

            List<CoPlay> coPlays = [.. window.CoPlays];
            coPlays.Sort(CoPlayOrder.Instance);
            output.Add(new ShownWindow<TAck>(window.StartMs, coPlays, window.Acks, outcome));
        }
    }

    private PendingWindow<TAck> Pending(long start)
    {
        if (!_pending.TryGetValue(start, out PendingWindow<TAck>? window))
        {
            window = new PendingWindow<TAck>(start, clock.GetTimestamp());
            _pending.Add(start, window);
        }

        return window;
    }

    private bool IsComplete(PendingWindow<TAck> window)
    {
        if (_shards.Length == 0)
        {
            return false;
        }

        bool complete = true;
        for (int k = 0; k < _shards.Length; k++)
        {
            if (!ShardHasAll(k, window))
            {
                complete = false;
            }
            else
            {
                _lagging[k] = false;
            }
        }

        return complete;
    }

    private bool ShardHasAll(int shard, PendingWindow<TAck> window) =>
        _shards[shard]?.HasAllOf(window.StartMs, window.StartMs + windowMs, window.ReceivedFrom(shard)) == true;

    private void LogLaggingShards(PendingWindow<TAck> window)
    {
        if (_shards.Length == 0)
        {
            if (!_noShardLogged)
            {
                _noShardLogged = true;
                LogNoShard(logger, window.StartMs, (long)timeout.TotalMilliseconds);
            }

            return;
        }

        for (int k = 0; k < _shards.Length; k++)
        {
            if (_lagging[k] || ShardHasAll(k, window))
            {
                continue;
            }

            _lagging[k] = true;
            LogLagging(logger, k, _shards.Length, window.StartMs, (long)timeout.TotalMilliseconds);
        }
    }

    [LoggerMessage(425, LogLevel.Warning, "Site: shard {Shard} of {Shards} has not completed window {WindowStartMs} after {TimeoutMs} ms; windows are shown without it until it catches up")]
    private static partial void LogLagging(ILogger logger, int shard, int shards, long windowStartMs, long timeoutMs);

    [LoggerMessage(426, LogLevel.Warning, "Site: no match shard has sent a watermark; window {WindowStartMs} is shown after {TimeoutMs} ms without one")]
    private static partial void LogNoShard(ILogger logger, long windowStartMs, long timeoutMs);
}
