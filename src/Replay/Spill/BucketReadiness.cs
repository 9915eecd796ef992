using System.Threading.Channels;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Which time buckets can be matched while the first pass still runs. Each input part declares the buckets its
/// plays can fall in (a Parquet row group's played_at statistics; a part without statistics, any bucket); a bucket
/// is ready once every part that can hold plays of it has been classified and flushed, that is once it lies below
/// the first bucket of every unfinished part. Ready buckets are written to a channel in ascending order, each once
/// (under the lock that decides them, so two workers finishing parts at once cannot swap them), so results stay in
/// time order. A part that wrote into a bucket already handed out (its statistics were wrong) is reported as a
/// <see cref="RowGroupStatisticsException"/>: that bucket may have been matched without those plays. Thread-safe.
/// </summary>
internal sealed class BucketReadiness
{
    private readonly Lock _gate = new();
    private readonly SortedSet<(long FirstBucket, int Part)> _unfinished = [];
    private readonly SortedSet<long> _waiting = [];
    private readonly ChannelWriter<long> _ready;
    private long _handedOutBelow = long.MinValue;

    /// <param name="firstBuckets">Each part's first possible bucket (<see cref="long.MinValue"/> when unknown), by part number.</param>
    /// <param name="ready">Where ready buckets go (an unbounded channel: it is written under a lock).</param>
    public BucketReadiness(IReadOnlyList<long> firstBuckets, ChannelWriter<long> ready)
    {
        _ready = ready;
        for (int part = 0; part < firstBuckets.Count; part++)
        {
            _unfinished.Add((firstBuckets[part], part));
        }
    }

    /// <summary>
    /// Marks <paramref name="part"/> classified, its plays in <paramref name="buckets"/> already flushed; writes the
    /// buckets that became ready, ascending (all that are left once every part is done), and returns how many.
    /// </summary>
    /// <param name="describePart">Names the part for the error when it wrote into a bucket already handed out.</param>
    public int Complete(int part, long firstBucket, IReadOnlyCollection<long> buckets, Func<string> describePart)
    {
        lock (_gate)
        {
            foreach (long bucket in buckets)
            {
                if (bucket < _handedOutBelow)
                {
                    throw new RowGroupStatisticsException(describePart());
                }

                _waiting.Add(bucket);
            }

            _unfinished.Remove((firstBucket, part));
            long readyBelow = _unfinished.Count == 0 ? long.MaxValue : _unfinished.Min.FirstBucket;
            if (readyBelow <= _handedOutBelow || _waiting.Count == 0 || _waiting.Min >= readyBelow)
            {
                _handedOutBelow = Math.Max(_handedOutBelow, readyBelow);
                return 0;
            }

            List<long> ready = readyBelow == long.MaxValue ? [.. _waiting] : [.. _waiting.GetViewBetween(long.MinValue, readyBelow - 1)];
            _waiting.ExceptWith(ready);
            _handedOutBelow = readyBelow;
            foreach (long bucket in ready)
            {
                if (!_ready.TryWrite(bucket))
                {
                    throw new InvalidOperationException("The ready-bucket channel refused a bucket: it must be unbounded and open.");
                }
            }

            return ready.Count;
        }
    }

    /// <summary>Buckets below this were handed out (or can never get plays); a worker may let go of their spill state.</summary>
    public long HandedOutBelow
    {
        get
        {
            lock (_gate)
            {
                return _handedOutBelow;
            }
        }
    }
}
