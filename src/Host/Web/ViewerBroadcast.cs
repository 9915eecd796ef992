using ListeningTogether.Transports.SignalR;
using Microsoft.AspNetCore.SignalR;

namespace ListeningTogether.Host.Web;

/// <summary>
/// Sends to every viewer of this site replica (its <see cref="ReplicaGroup"/>, never all clients: other replicas push
/// the same co-plays to theirs) through the hub, as a live view may: a push that cannot go out because the push
/// backplane is away is dropped, never fatal to the site, and logged once per outage. While the backplane is known to
/// be down a push is not even tried, so the site stage does not wait in the Redis client's backlog for each one; once
/// it is back, pushes go out again. <c>/readyz</c> names the backplane meanwhile (<see cref="BackplaneStatus"/>).
/// </summary>
internal sealed partial class ViewerBroadcast(
    IHubContext<CoPlayHub, ICoPlayViewerClient> hub,
    SiteReplica replica,
    ILogger<ViewerBroadcast> logger,
    BackplaneStatus? backplane = null)
{
    // Built once: asking the hub for a group's proxy allocates one per call.
    private readonly ICoPlayViewerClient _viewers = hub.Clients.Group(ReplicaGroup.Of(replica));
    private long _dropped;

    /// <summary>Pushes dropped during the current outage; zero while pushes go out.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Sends <paramref name="push"/> to every viewer of this replica; false when it was dropped.</summary>
    public async ValueTask<bool> SendAsync(Func<ICoPlayViewerClient, Task> push, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (backplane?.Problem is { } problem)
        {
            Drop(problem);
            return false;
        }

        try
        {
            await push(_viewers).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Drop($"{e.GetType().Name}: {e.Message}");
            return false;
        }

        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and long dropped)
        {
            LogResumed(logger, dropped);
        }

        return true;
    }

    private void Drop(string cause)
    {
        if (Interlocked.Increment(ref _dropped) == 1)
        {
            LogDropping(logger, cause);
        }
    }

    [LoggerMessage(461, LogLevel.Warning, "Push: viewers get no pushes while the push backplane is away ({Cause}); the site goes on")]
    private static partial void LogDropping(ILogger logger, string cause);

    [LoggerMessage(462, LogLevel.Information, "Push: pushes reach viewers again; {Dropped} were dropped meanwhile")]
    private static partial void LogResumed(ILogger logger, long dropped);
}
