using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay.Tests.Spill;

public sealed class BucketReadinessTests
{
    [Fact]
    public void GivenPartsInTimeOrder_WhenEachCompletes_ThenTheBucketsBelowTheFirstUnfinishedPartComeOutInOrderOnce()
    {
        var readiness = new BucketReadiness([10, 11, 13]);

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
        var readiness = new BucketReadiness([10, 12]);

        IReadOnlyList<long> afterLater = readiness.Complete(1, 12, [12], Name(1));
        IReadOnlyList<long> afterEarlier = readiness.Complete(0, 10, [10, 11], Name(0));

        Assert.Empty(afterLater);
        Assert.Equal([10, 11, 12], afterEarlier);
    }

    [Fact]
    public void GivenAPartWithoutStatistics_WhenOthersComplete_ThenEveryBucketWaitsForIt()
    {
        var readiness = new BucketReadiness([long.MinValue, 10, 20]);

        Assert.Empty(readiness.Complete(1, 10, [10], Name(1)));
        Assert.Empty(readiness.Complete(2, 20, [20], Name(2)));
        Assert.Equal([5, 10, 20], readiness.Complete(0, long.MinValue, [20, 5], Name(0)));
    }

    [Fact]
    public void GivenBucketsHandedOut_WhenAPartWritesIntoOneOfThem_ThenItIsReportedAsWrongStatisticsNamingThePart()
    {
        var readiness = new BucketReadiness([10, 12]);
        Assert.Equal([10], readiness.Complete(0, 10, [10], Name(0)));

        var error = Assert.Throws<RowGroupStatisticsException>(() => readiness.Complete(1, 12, [11, 12], Name(1)));

        Assert.Contains("part 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, readiness.HandedOutBelow);
    }

    [Fact]
    public void GivenAPartWritingBelowItsStatisticsIntoABucketNotYetHandedOut_WhenItCompletes_ThenThatBucketStillComesOut()
    {
        var readiness = new BucketReadiness([10, 12]);

        Assert.Empty(readiness.Complete(1, 12, [10, 12], Name(1)));

        Assert.Equal([10, 12], readiness.Complete(0, 10, [10], Name(0)));
    }

    [Fact]
    public void GivenNoPlaysInAnyBucket_WhenEveryPartCompletes_ThenNothingComesOutAndEverythingIsHandedOut()
    {
        var readiness = new BucketReadiness([3, 4]);

        Assert.Empty(readiness.Complete(0, 3, [], Name(0)));
        Assert.Empty(readiness.Complete(1, 4, [], Name(1)));
        Assert.Equal(long.MaxValue, readiness.HandedOutBelow);
    }

    private static Func<string> Name(int part) => () => $"part {part}";
}
