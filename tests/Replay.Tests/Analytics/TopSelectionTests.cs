using FsCheck.Xunit;
using ListeningTogether.Replay.Analytics;

namespace ListeningTogether.Replay.Tests.Analytics;

/// <summary>The summary's top lists select their first items in one pass: exactly what sorting all and taking the first would give.</summary>
public sealed class TopSelectionTests
{
    [Property(MaxTest = 300)]
    public void GivenAnyDistinctItemsAndCount_WhenSelected_ThenTheyAreTheFirstOfTheSortedItemsInOrder(int[] items, byte count)
    {
        // A total order, as the top lists' are: ties on the first key broken by the second.
        (int Key, int Tiebreak)[] distinct = [.. (items ?? []).Select((v, i) => (v % 5, i))];
        Comparer<(int Key, int Tiebreak)> order = Comparer<(int Key, int Tiebreak)>.Create((x, y) =>
        {
            int c = y.Key.CompareTo(x.Key);
            return c != 0 ? c : x.Tiebreak.CompareTo(y.Tiebreak);
        });
        int take = (count % 25) + 1;

        Assert.Equal(distinct.Order(order).Take(take), TopSelection.Of(distinct, order, take));
    }
}
