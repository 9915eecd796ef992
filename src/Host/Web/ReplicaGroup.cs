namespace ListeningTogether.Host.Web;

/// <summary>
/// The SignalR group of the viewers connected to one site replica (DESIGN.md "One world view", "Exactly once per
/// viewer"). Every replica reads all results and pushes the same co-plays; with Redis or Azure SignalR Service a
/// push to all clients would reach every viewer once per replica, so each connection joins its replica's group and
/// each push of the replica goes to that group only. The same holds with SelfHosted, where it costs no more.
/// </summary>
internal static class ReplicaGroup
{
    public static string Of(SiteReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return "site-" + replica.Name;
    }
}
