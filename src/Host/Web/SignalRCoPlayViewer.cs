using ListeningTogether.Abstractions;
using ListeningTogether.Host.Composition;
using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Web;

/// <summary>
/// Pushes the co-plays chosen for viewers to every connected browser and remembers them for late joiners (who get
/// them even when the push itself was dropped, see <see cref="ViewerBroadcast"/>).
/// </summary>
internal sealed class SignalRCoPlayViewer(
    ViewerBroadcast broadcast,
    CoPlayViews views,
    RecentCoPlays recent,
    PipelineMetrics metrics,
    TimeProvider clock) : ICoPlayViewerSink
{
    public async ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken)
    {
        if (selected.Count == 0)
        {
            return;
        }

        long nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        CoPlayView[] items = [.. selected.Select(c => views.From(c) with { PushedAtMs = nowMs })];
        recent.Add(selected[0].WindowStartMs, items);
        if (await broadcast.SendAsync(clients => clients.CoPlays(items), cancellationToken).ConfigureAwait(false))
        {
            metrics.Pushed(selected, nowMs);
        }
    }
}
