using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Replay.Analytics;

namespace ListeningTogether.Replay.Tests.Analytics;

/// <summary>The statistics' pair counts (a buffer merged by sorting) against the dictionary they replaced.</summary>
public sealed class CityPairCountsTests
{
    [Property(MaxTest = 300)]
    public Property GivenCoPlaysOfRepeatedPairs_WhenCounted_ThenEveryPairHasADictionarysCounts() =>
        Prop.ForAll(
            Arb.From(Gen.ListOf(from a in Gen.Choose(-3, 40) from b in Gen.Choose(-3, 40) from plays in Gen.Choose(2, 9) select (A: (long)a, B: (long)b, Plays: (long)plays))),
            coPlays => AssertAsDictionary(coPlays));

    [Fact]
    public void GivenHundredsOfThousandsOfCoPlaysWithExtremeIds_WhenCountedAndReadBetweenTimes_ThenEveryMergeKeepsEveryPair()
    {
        long[] ids = [long.MinValue, -1, 0, 1, 2, 1 << 20, uint.MaxValue, 1L << 32, 1L << 40, long.MaxValue];
        var coPlays = new List<(long A, long B, long Plays)>();
        for (int i = 0; i < 400_000; i++)
        {
            // Some pairs from the extremes (ids past 32 bits take the wide path), most from a range that fills the
            // buffer many times over, with repeats across merges; and now and then a huge play count.
            (long a, long b) = i % 101 == 0 ? (ids[i % ids.Length], ids[(i / 7) % ids.Length]) : (i % 997, (i / 997) % 150);
            coPlays.Add((a, b, i % 50_000 == 0 || ((a, b) == (3, 1) && i > 100_000) ? (long)int.MaxValue + i : 2 + (i % 3)));
        }

        AssertAsDictionary(coPlays, readEvery: 90_000);
    }

    private static void AssertAsDictionary(IEnumerable<(long A, long B, long Plays)> coPlays, int readEvery = int.MaxValue)
    {
        var table = new CityPairCounts();
        var expected = new Dictionary<(long A, long B), (long CoPlays, long Plays)>();
        int added = 0;
        foreach ((long a, long b, long plays) in coPlays)
        {
            expected.TryGetValue((a, b), out (long CoPlays, long Plays) counts);
            expected[(a, b)] = (counts.CoPlays + 1, counts.Plays + plays);
            table.Add(a, b, plays);
            if (++added % readEvery == 0)
            {
                Assert.Equal(expected.Count, table.Count);
            }
        }

        Assert.Equal(expected.Count, table.Count);
        Assert.Equal(
            expected.Select(e => new CityPairCount(e.Key.A, e.Key.B, e.Value.CoPlays, e.Value.Plays)).OrderBy(p => p.A).ThenBy(p => p.B),
            table.All().OrderBy(p => p.A).ThenBy(p => p.B));
    }
}
