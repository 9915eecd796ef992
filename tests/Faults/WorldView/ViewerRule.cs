using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// DESIGN.md's viewer rule applied to complete windows of co-plays, window by window in window order: what every
/// viewer must be shown. It is the production <see cref="ViewerSelection"/> given each window in result order
/// (track ids by UTF-8 bytes, <see cref="CoPlayOrder"/>), as the site gives it: a window over its share of the
/// second keeps the co-plays with the greatest distance, then most plays, then the smaller track id, in that order;
/// a window within its share is shown whole, in result order.
/// </summary>
public static class ViewerRule
{
    public static IReadOnlyList<ShownCoPlay> Apply(IEnumerable<CoPlay> coPlays, int maxPerSecond, int windowMs)
    {
        var selection = new ViewerSelection(maxPerSecond, windowMs);
        var shown = new List<ShownCoPlay>();
        foreach (IGrouping<long, CoPlay> window in coPlays.GroupBy(c => c.WindowStartMs).OrderBy(w => w.Key))
        {
            List<CoPlay> ordered = [.. window.Order(CoPlayOrder.Instance)];
            shown.AddRange(selection.Select(window.Key, ordered).Select(ShownCoPlay.Of));
        }

        return shown;
    }
}
