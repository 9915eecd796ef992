using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>
/// The co-plays viewers were shown over the last <c>Site:RecentSeconds</c> of event time, at most the newest
/// <c>Site:MaxRecentCoPlays</c>, for viewers who connect mid-stream. The count bound is what bounds each connect's
/// catch-up: a co-play is a few hundred bytes, and a second's worth of windows may bring <c>Pipeline:MaxPerSecond</c>.
/// </summary>
internal sealed class RecentCoPlays(IOptions<SiteOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long WindowStartMs, CoPlayView View)> _items = new();

    public void Add(long windowStartMs, IReadOnlyList<CoPlayView> views)
    {
        SiteOptions site = options.Value;
        lock (_gate)
        {
            foreach (CoPlayView view in views)
            {
                _items.Enqueue((windowStartMs, view));
            }

            long horizon = windowStartMs - (site.RecentSeconds * 1000L);
            while (_items.Count > 0 && (_items.Peek().WindowStartMs < horizon || _items.Count > site.MaxRecentCoPlays))
            {
                _items.Dequeue();
            }
        }
    }

    /// <summary>The recent co-plays, oldest first.</summary>
    public IReadOnlyList<CoPlayView> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items.Select(i => i.View)];
        }
    }
}
