using MaxMind.Db;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>What MaxMind.Db decodes of an Anonymous-IP record: only the flags the pipeline uses, so other fields are skipped.</summary>
internal sealed class AnonymousIpRecord
{
    [Constructor]
    public AnonymousIpRecord(
        [MapKey("is_anonymous")] bool? isAnonymous,
        [MapKey("is_anonymous_vpn")] bool? isAnonymousVpn,
        [MapKey("is_tor_exit_node")] bool? isTorExitNode,
        [MapKey("is_public_proxy")] bool? isPublicProxy,
        [MapKey("is_hosting_provider")] bool? isHostingProvider,
        [MapKey("is_residential_proxy")] bool? isResidentialProxy)
    {
        IsListed = (isAnonymous ?? false) || (isAnonymousVpn ?? false) || (isTorExitNode ?? false)
            || (isPublicProxy ?? false) || (isHostingProvider ?? false) || (isResidentialProxy ?? false);
    }

    public bool IsListed { get; }
}
