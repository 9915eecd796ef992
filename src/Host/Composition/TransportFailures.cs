using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Host.Composition;

/// <summary>The transports' failures that retrying cannot fix, for the sinks' retry (a failure of the streaming runtime's own writes it judges itself).</summary>
internal static class TransportFailures
{
    /// <summary>A Pub/Sub refusal: a missing topic or subscription without <c>CreateMissing</c>, no permission, a bad request.</summary>
    public static bool CannotPass(Exception failure) => failure is PubSubException;
}
