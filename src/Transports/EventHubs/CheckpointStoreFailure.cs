using Azure;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// One short line for a failed call to the checkpoint store: the HTTP status and error code it answered with, or,
/// when it did not answer, why (<c>Connection refused (host:port)</c>), and how many tries the client made.
/// Storage client messages name hosts and containers, never keys or signatures.
/// </summary>
internal static class CheckpointStoreFailure
{
    public static string Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            // The client's retries exhausted: every try failed, the last one says most.
            AggregateException { InnerExceptions.Count: > 0 } tries => $"{Describe(tries.InnerExceptions[^1])}, {tries.InnerExceptions.Count} tries",
            RequestFailedException { Status: > 0 } answered => $"HTTP {answered.Status}, {answered.ErrorCode ?? "-"}",
            RequestFailedException { InnerException: { } cause } => cause.Message,
            _ => $"{failure.GetType().Name}: {failure.Message}",
        };
    }
}
