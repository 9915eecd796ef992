namespace ListeningTogether.Replay.Analytics;

/// <summary>The first few items of an order, in one pass over the items: no sort of them all (a replay has hundreds of thousands of city pairs).</summary>
internal static class TopSelection
{
    /// <summary>
    /// The first <paramref name="count"/> items in <paramref name="order"/>, in that order; as a stable sort then
    /// take would give them when the order is total (no two items compare equal).
    /// </summary>
    public static List<T> Of<T>(IEnumerable<T> items, IComparer<T> order, int count)
    {
        var top = new List<T>(count + 1);
        foreach (T item in items)
        {
            if (top.Count == count && order.Compare(item, top[^1]) >= 0)
            {
                continue;
            }

            int at = top.BinarySearch(item, order);
            top.Insert(at < 0 ? ~at : at + 1, item);
            if (top.Count > count)
            {
                top.RemoveAt(count);
            }
        }

        return top;
    }
}
