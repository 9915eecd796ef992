using ListeningTogether.Abstractions;
using ListeningTogether.Host.Streaming;
using Microsoft.AspNetCore.SignalR;

namespace ListeningTogether.Host.Web;

/// <summary>Pushes the co-plays chosen for viewers to every connected browser and remembers them for late joiners.</summary>
internal sealed class SignalRCoPlayViewer(
    IHubContext<CoPlayHub, ICoPlayViewerClient> hub,
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
        await hub.Clients.All.CoPlays(items).ConfigureAwait(false);
        metrics.Pushed(selected, nowMs);
    }
}
