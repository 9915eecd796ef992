using Microsoft.AspNetCore.SignalR;

namespace ListeningTogether.Host.Web;

/// <summary>
/// The push-only hub: it has no methods clients can call (any invocation is refused by SignalR as an unknown
/// method). On connecting, a viewer gets the recent co-plays at once.
/// </summary>
internal sealed class CoPlayHub(RecentCoPlays recent, ViewerConnections viewers, IHostApplicationLifetime lifetime) : Hub<ICoPlayViewerClient>
{
    public const string Path = "/hub/coplays";

    public override async Task OnConnectedAsync()
    {
        // A viewer reconnecting while the site stops would hold the shutdown open: refuse it.
        if (lifetime.ApplicationStopping.IsCancellationRequested || !viewers.TryAdd(Context))
        {
            Context.Abort();
            return;
        }

        await Clients.Caller.Recent(recent.Snapshot()).ConfigureAwait(false);
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        viewers.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}
