using System.Threading.Channels;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay.Tests.Spill;

public sealed class BucketReadinessTests
{
    [Fact]
    public void GivenPartsInTimeOrder_WhenEachCompletes_ThenTheBucketsBelowTheFirstUnfinishedPartComeOutInOrderOnce()
    {
        var readiness = Tracker.Of([10, 11, 13]);

        IReadOnlyList<long> afterFirst = readiness.Complete(0, 10, [10, 11], Name(0));
        IReadOnlyList<long> afterSecond = readiness.Complete(1, 11, [11, 12, 13], Name(1));
        IReadOnlyList<long> afterLast = readiness.Complete(2, 13, [13, 14], Name(2));

        Assert.Equal([10], afterFirst);
        Assert.Equal([11, 12], afterSecond);
        Assert.Equal([13, 14], afterLast);
    }

    [Fact]
    public void GivenALaterPartFinishingFirst_WhenItCompletes_ThenNothingComesOutUntilTheEarlierPartIsDone()
    {
        var readiness = Tracker.Of([10, 12]);

        IReadOnlyList<long> afterLater = readiness.Complete(1, 12, [12], Name(1));
        IReadOnlyList<long> afterEarlier = readiness.Complete(0, 10, [10, 11], Name(0));

        Assert.Empty(afterLater);
        Assert.Equal([10, 11, 12], afterEarlier);
    }

    [Fact]
    public void GivenAPartWithoutStatistics_WhenOthersComplete_ThenEveryBucketWaitsForIt()
    {
        var readiness = Tracker.Of([long.MinValue, 10, 20]);

        Assert.Empty(readiness.Complete(1, 10, [10], Name(1)));
        Assert.Empty(readiness.Complete(2, 20, [20], Name(2)));
        Assert.Equal([5, 10, 20], readiness.Complete(0, long.MinValue, [20, 5], Name(0)));
    }

    [Fact]
    public void GivenBucketsHandedOut_WhenAPartWritesIntoOneOfThem_ThenItIsReportedAsWrongStatisticsNamingThePart()
    {
        var readiness = Tracker.Of([10, 12]);
        Assert.Equal([10], readiness.Complete(0, 10, [10], Name(0)));

        var error = Assert.Throws<RowGroupStatisticsException>(() => readiness.Complete(1, 12, [11, 12], Name(1)));

        Assert.Contains("part 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, readiness.HandedOutBelow);
    }

    [Fact]
    public void GivenAPartWritingBelowItsStatisticsIntoABucketNotYetHandedOut_WhenItCompletes_ThenThatBucketStillComesOut()
    {
        var readiness = Tracker.Of([10, 12]);

        Assert.Empty(readiness.Complete(1, 12, [10, 12], Name(1)));

        Assert.Equal([10, 12], readiness.Complete(0, 10, [10], Name(0)));
    }

    [Fact]
    public void GivenNoPlaysInAnyBucket_WhenEveryPartCompletes_ThenNothingComesOutAndEverythingIsHandedOut()
    {
        var readiness = Tracker.Of([3, 4]);

        Assert.Empty(readiness.Complete(0, 3, [], Name(0)));
        Assert.Empty(readiness.Complete(1, 4, [], Name(1)));
        Assert.Equal(long.MaxValue, readiness.HandedOutBelow);
    }

    [Fact]
    public async Task GivenPartsCompletedByFourThreadsAtOnce_WhenTheirBucketsComeOut_ThenTheyAreAllThereInAscendingOrder()
    {
        const int parts = 2000;
        var ready = Channel.CreateUnbounded<long>();
        var readiness = new BucketReadiness([.. Enumerable.Range(0, parts).Select(p => (long)p)], ready.Writer);
        int next = -1;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int part = Interlocked.Increment(ref next); part < parts; part = Interlocked.Increment(ref next))
            {
                readiness.Complete(part, part, [part, part + 1L], Name(part));
            }
        })));
        ready.Writer.Complete();

        Assert.Equal(Enumerable.Range(0, parts + 1).Select(b => (long)b), await ready.Reader.ReadAllAsync().ToListAsync());
    }

    private static Func<string> Name(int part) => () => $"part {part}";

    /// <summary>A readiness tracker whose Complete returns the buckets it wrote out.</summary>
    private sealed class Tracker
    {
        private readonly Channel<long> _ready = Channel.CreateUnbounded<long>();
        private readonly BucketReadiness _readiness;

        private Tracker(IReadOnlyList<long> firstBuckets) => _readiness = new BucketReadiness(firstBuckets, _ready.Writer);

        public long HandedOutBelow => _readiness.HandedOutBelow;

        public static Tracker Of(IReadOnlyList<long> firstBuckets) => new(firstBuckets);

        public List<long> Complete(int part, long firstBucket, IReadOnlyCollection<long> buckets, Func<string> describePart)
        {
            int count = _readiness.Complete(part, firstBucket, buckets, describePart);
            var written = new List<long>();
            while (_ready.Reader.TryRead(out long bucket))
            {
                written.Add(bucket);
            }

            Assert.Equal(count, written.Count);
            return written;
        }
    }
}
