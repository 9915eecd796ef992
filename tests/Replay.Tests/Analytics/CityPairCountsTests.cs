using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Replay.Analytics;

namespace ListeningTogether.Replay.Tests.Analytics;

/// <summary>The statistics' open-addressing pair table against the dictionary it replaced.</summary>
public sealed class CityPairCountsTests
{
    [Property(MaxTest = 300)]
    public Property GivenCoPlaysOfRepeatedPairs_WhenCounted_ThenEveryPairHasADictionarysCountsAndIsNewOnlyOnce() =>
        Prop.ForAll(
            Arb.From(Gen.ListOf(from a in Gen.Choose(-3, 40) from b in Gen.Choose(-3, 40) from plays in Gen.Choose(2, 9) select (A: (long)a, B: (long)b, Plays: (long)plays))),
            coPlays => AssertAsDictionary(coPlays));

    [Fact]
    public void GivenThousandsOfPairsWithExtremeIds_WhenCounted_ThenTheTableGrowsAndCollidesWithoutLosingOne()
    {
        long[] ids = [long.MinValue, -1, 0, 1, 2, 1 << 20, 1L << 40, long.MaxValue];
        var coPlays = new List<(long A, long B, long Plays)>();
        for (int i = 0; i < 6000; i++)
        {
            // Some pairs from the extremes, most from a range that fills the table past several growths.
            (long a, long b) = i % 5 == 0 ? (ids[i % ids.Length], ids[(i / 7) % ids.Length]) : (i % 97, i * 31L);
            coPlays.Add((a, b, 2 + (i % 3)));
        }

        AssertAsDictionary(coPlays);
    }

    private static void AssertAsDictionary(IEnumerable<(long A, long B, long Plays)> coPlays)
    {
        var table = new CityPairCounts();
        var expected = new Dictionary<(long A, long B), (long CoPlays, long Plays)>();
        foreach ((long a, long b, long plays) in coPlays)
        {
            bool isNew = !expected.TryGetValue((a, b), out (long CoPlays, long Plays) counts);
            expected[(a, b)] = (counts.CoPlays + 1, counts.Plays + plays);

            Assert.Equal(isNew, table.Add(a, b, plays));
        }

        Assert.Equal(expected.Count, table.Count);
        Assert.Equal(
            expected.Select(e => new CityPairCount(e.Key.A, e.Key.B, e.Value.CoPlays, e.Value.Plays)).OrderBy(p => p.A).ThenBy(p => p.B),
            table.All().OrderBy(p => p.A).ThenBy(p => p.B));
    }
}
