using Microsoft.AspNetCore.SignalR;

namespace ListeningTogether.Host.Web;

/// <summary>
/// The push-only hub: it has no methods clients can call (any invocation is refused by SignalR as an unknown
/// method). On connecting, a viewer joins this replica's group (<see cref="ReplicaGroup"/>), which every push goes
/// to, and then gets the recent co-plays at once.
/// </summary>
internal sealed class CoPlayHub(RecentCoPlays recent, ViewerConnections viewers, SiteReplica replica, IHostApplicationLifetime lifetime) : Hub<ICoPlayViewerClient>
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

        try
        {
            // Joined before the snapshot is taken, so a co-play pushed meanwhile is not missed (the page drops one it gets twice).
            await Groups.AddToGroupAsync(Context.ConnectionId, ReplicaGroup.Of(replica)).ConfigureAwait(false);
            await Clients.Caller.Recent(recent.Snapshot()).ConfigureAwait(false);
        }
        catch
        {
            // SignalR closes a connection whose OnConnectedAsync throws without calling OnDisconnectedAsync: its place is given back here.
            viewers.Remove(Context);
            throw;
        }

        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        viewers.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}
