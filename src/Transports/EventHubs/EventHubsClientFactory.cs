using Azure.Core;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Producer;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>Builds the SDK clients from validated settings: connection strings where given, else the token credential.</summary>
internal static class EventHubsClientFactory
{
    public static EventHubProducerClient CreateProducer(EventHubsTransportOptions options, Func<TokenCredential> credential, string? eventHubName = null)
    {
        string hub = eventHubName ?? options.ResolvedEventHubName;
        return options.ConnectionString is { Length: > 0 } connectionString
            ? new EventHubProducerClient(connectionString, HubOrEntityPath(options, hub))
            : new EventHubProducerClient(options.FullyQualifiedNamespace, hub, credential());
    }

    /// <summary>A client reading <paramref name="options"/>' hub in <c>SiteConsumerGroup</c>, named after the site replica <paramref name="replicaName"/>.</summary>
    public static EventHubConsumerClient CreateSiteConsumer(EventHubsTransportOptions options, Func<TokenCredential> credential, string replicaName)
    {
        string hub = options.ResolvedEventHubName;
        var client = new EventHubConsumerClientOptions { Identifier = replicaName };
        return options.ConnectionString is { Length: > 0 } connectionString
            ? new EventHubConsumerClient(options.SiteConsumerGroup, connectionString, HubOrEntityPath(options, hub), client)
            : new EventHubConsumerClient(options.SiteConsumerGroup, options.FullyQualifiedNamespace, hub, credential(), client);
    }

    public static BlobCheckpointStore CreateCheckpointStore(EventHubsCheckpointStoreOptions options, Func<TokenCredential> credential)
    {
        BlobClientOptions client = CheckpointStoreClientOptions();
        BlobServiceClient service = options.ConnectionString is { Length: > 0 } connectionString
            ? new BlobServiceClient(connectionString, client)
            : new BlobServiceClient(options.ServiceUri, credential(), client);
        return new BlobCheckpointStore(service.GetBlobContainerClient(options.Container));
    }

    /// <summary>
    /// Few and short retries: whoever calls the store tries again on an interval of its own (checkpoints every
    /// CheckpointIntervalMs, the load balancer every LoadBalancingIntervalSeconds). With the Storage client's
    /// defaults one call to a store that is away took about 30 s to fail, holding back the checkpoints after the
    /// store came back, and a stop writing each partition's checkpoint as long.
    /// </summary>
    public static BlobClientOptions CheckpointStoreClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    public static EventHubsPlayProcessor CreateProcessor(
        BlobCheckpointStore store,
        EventHubsTransportOptions options,
        Func<TokenCredential> credential,
        TimeProvider clock,
        ILogger logger) =>
        options.ConnectionString is { Length: > 0 }
            ? new EventHubsPlayProcessor(store, options, clock, logger)
            : new EventHubsPlayProcessor(store, options, credential(), clock, logger);

    /// <summary>The hub name to pass beside a connection string: none when the string's EntityPath already names it.</summary>
    public static string? HubOrEntityPath(EventHubsTransportOptions options, string hub) =>
        Azure.Messaging.EventHubs.EventHubsConnectionStringProperties.Parse(options.ConnectionString!).EventHubName is { Length: > 0 } entityPath
            && string.Equals(entityPath, hub, StringComparison.Ordinal) ? null : hub;
}
