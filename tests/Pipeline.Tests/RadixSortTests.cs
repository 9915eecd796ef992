using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ListeningTogether.Pipeline.Tests;

/// <summary>The radix sort replay uses for its lookups and buckets: the order of a stable sort by key, whatever the keys.</summary>
public class RadixSortTests
{
    [Property(MaxTest = 300)]
    public Property GivenAnyKeys_WhenSorted_ThenTheyAreInTheOrderOfAStableSortWithTheirValues()
    {
        // One sorter across cases, so leftovers in its scratch buffers would show.
        var sort = new RadixSort();
        return Prop.ForAll(
            Gen.Elements(0UL, 1UL, 255UL, 256UL, 1UL << 32, 1UL << 48, ulong.MaxValue)
                .Or(ArbMap.Default.GeneratorFor<ulong>())
                .ArrayOf()
                .ToArbitrary(),
            keys =>
            {
                ulong[] sortedKeys = [.. keys, 0, 0];
                int[] values = [.. Enumerable.Range(0, sortedKeys.Length)];
                var expected = keys.Select((k, i) => (Key: k, Value: i)).OrderBy(p => p.Key).ToArray();

                sort.Sort(ref sortedKeys, ref values, keys.Length);

                Assert.Equal(expected, sortedKeys.Take(keys.Length).Zip(values.Take(keys.Length), (k, v) => (k, v)));
            });
    }

    [Fact]
    public void GivenKeysThatShareTheirHighBytes_WhenSorted_ThenOnlyTheVaryingBytesDecideAndEqualKeysKeepTheirOrder()
    {
        ulong[] keys = [0x0500_0000_0000_0002, 0x0500_0000_0000_0001, 0x0500_0000_0000_0002, 0x0500_0000_0000_0000];
        int[] values = [0, 1, 2, 3];

        new RadixSort().Sort(ref keys, ref values, keys.Length);

        Assert.Equal([0x0500_0000_0000_0000UL, 0x0500_0000_0000_0001, 0x0500_0000_0000_0002, 0x0500_0000_0000_0002], keys);
        Assert.Equal([3, 1, 0, 2], values);
    }
}
