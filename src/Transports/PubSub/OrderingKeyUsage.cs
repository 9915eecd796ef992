namespace ListeningTogether.Transports.PubSub;

/// <summary>Which ordering key published plays carry.</summary>
public enum OrderingKeyUsage
{
    /// <summary>No key: Pub/Sub may deliver in any order (the pipeline's watermark allows for disorder).</summary>
    None,

    /// <summary>The play's trackId: plays of one track arrive in publish order on an ordered subscription.</summary>
    TrackId,
}
