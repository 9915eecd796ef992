using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>The co-plays viewers were shown over the last <c>Site:RecentSeconds</c> of event time, for viewers who connect mid-stream.</summary>
internal sealed class RecentCoPlays(IOptions<SiteOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long WindowStartMs, CoPlayView View)> _items = new();

    public void Add(long windowStartMs, IReadOnlyList<CoPlayView> views)
    {
        lock (_gate)
        {
            foreach (CoPlayView view in views)
            {
                _items.Enqueue((windowStartMs, view));
            }

            long horizon = windowStartMs - (options.Value.RecentSeconds * 1000L);
            while (_items.Count > 0 && _items.Peek().WindowStartMs < horizon)
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
