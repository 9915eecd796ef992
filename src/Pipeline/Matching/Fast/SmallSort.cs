namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// Sorting with a struct comparer that stays a direct call: insertion sort for the small spans most groups
/// have, the framework's introsort beyond that.
/// </summary>
internal static class SmallSort
{
    private const int InsertionLimit = 24;

    public static void Sort<TComparer>(Span<int> items, TComparer comparer)
        where TComparer : struct, IComparer<int>
    {
        if (items.Length > InsertionLimit)
        {
            items.Sort(comparer);
            return;
        }

        for (int i = 1; i < items.Length; i++)
        {
            int item = items[i];
            int j = i - 1;
            while (j >= 0 && comparer.Compare(items[j], item) > 0)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }
}
