using System.ComponentModel.DataAnnotations;
using Azure.Messaging.EventHubs;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Settings of <c>Transport:EventHubs</c>: where plays are read and published, the consumer group, the Blob
/// checkpoint and ownership store, and batch sizes. Either a connection string or a namespace reached with
/// Workload Identity (DefaultAzureCredential).
/// </summary>
public sealed class EventHubsTransportOptions : IValidatableObject
{
    public const string Section = "Transport:EventHubs";

    /// <summary>A namespace or hub connection string (a secret: never logged).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace host (<c>NAME.servicebus.windows.net</c>), used with DefaultAzureCredential when there is no connection string.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The hub plays are read from and published to; may be omitted when the connection string names it (EntityPath).</summary>
    [StringLength(256)]
    public string? EventHubName { get; set; }

    [Required]
    [StringLength(50, MinimumLength = 1)]
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>
    /// The consumer group site replicas read the results hub in, every replica every partition (DESIGN.md "One world
    /// view"); the service allows 5 such readers per partition and group, so a second region uses a group of its own.
    /// </summary>
    [Required]
    [StringLength(50, MinimumLength = 1)]
    public string SiteConsumerGroup { get; set; } = "$Default";

    /// <summary>Hub of the scale-out repartition stage (eligible plays keyed by track).</summary>
    [StringLength(256)]
    public string? RepartitionEventHubName { get; set; }

    /// <summary>Hub the co-plays of the scale-out match stage go to.</summary>
    [StringLength(256)]
    public string? ResultsEventHubName { get; set; }

    public EventHubsCheckpointStoreOptions CheckpointStore { get; set; } = new();

    /// <summary>Events the processor hands over per partition at most at once.</summary>
    [Range(1, 10_000)]
    public int ReceiveBatchSize { get; set; } = 100;

    /// <summary>Events each partition's receiver reads ahead.</summary>
    [Range(0, 100_000)]
    public int PrefetchCount { get; set; } = 300;

    /// <summary>Received events waiting for the pipeline before the partitions' receivers wait (backpressure).</summary>
    [Range(1, 10_000_000)]
    public int ReceiveBufferCapacity { get; set; } = 10_000;

    /// <summary>How often acknowledged progress is written to the checkpoint store.</summary>
    [Range(100, 3_600_000)]
    public int CheckpointIntervalMs { get; set; } = 5_000;

    /// <summary>Plays waiting to be sent before publishers wait (backpressure).</summary>
    [Range(1, 10_000_000)]
    public int PublishQueueCapacity { get; set; } = 100_000;

    /// <summary>Events in one sent batch at most (a batch is also cut at the hub's size limit).</summary>
    [Range(1, 100_000)]
    public int PublishBatchMaxEvents { get; set; } = 1_000;

    /// <summary>How often a replica re-balances partitions with the others.</summary>
    [Range(1, 3_600)]
    public int LoadBalancingIntervalSeconds { get; set; } = 10;

    /// <summary>How long an ownership claim lasts without renewal before another replica may take the partition.</summary>
    [Range(2, 86_400)]
    public int OwnershipExpirationSeconds { get; set; } = 30;

    /// <summary>This replica's name in ownership records; defaults to the machine name and a random suffix.</summary>
    [StringLength(128)]
    public string? Identifier { get; set; }

    /// <summary>The hub name: <see cref="EventHubName"/>, else the connection string's EntityPath.</summary>
    public string ResolvedEventHubName =>
        EventHubName is { Length: > 0 } name ? name : ConnectionStringProperties()?.EventHubName ?? string.Empty;

    /// <summary>The namespace host: from the connection string, else <see cref="FullyQualifiedNamespace"/>.</summary>
    public string ResolvedNamespace =>
        ConnectionStringProperties()?.FullyQualifiedNamespace ?? FullyQualifiedNamespace ?? string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        bool hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == !string.IsNullOrWhiteSpace(FullyQualifiedNamespace))
        {
            yield return new ValidationResult(
                "Give exactly one of ConnectionString and FullyQualifiedNamespace (the latter signs in with DefaultAzureCredential).",
                [nameof(ConnectionString), nameof(FullyQualifiedNamespace)]);
            yield break;
        }

        if (hasConnectionString && ConnectionStringProperties() is null)
        {
            // The value is a secret: the message never repeats it.
            yield return new ValidationResult("The value is not an Event Hubs connection string (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...).", [nameof(ConnectionString)]);
            yield break;
        }

        if (!hasConnectionString && Uri.CheckHostName(FullyQualifiedNamespace) is UriHostNameType.Unknown)
        {
            yield return new ValidationResult("Give the namespace's host name, such as NAME.servicebus.windows.net.", [nameof(FullyQualifiedNamespace)]);
        }

        if (ResolvedEventHubName.Length == 0)
        {
            yield return new ValidationResult("The hub's name is required (or an EntityPath in the connection string).", [nameof(EventHubName)]);
        }

        foreach (ValidationResult result in CheckpointStore.Validate())
        {
            yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"{nameof(CheckpointStore)}:{m}"));
        }

        if (OwnershipExpirationSeconds <= LoadBalancingIntervalSeconds)
        {
            yield return new ValidationResult(
                $"Must be longer than LoadBalancingIntervalSeconds ({LoadBalancingIntervalSeconds}), or claims lapse between renewals.",
                [nameof(OwnershipExpirationSeconds)]);
        }
    }

    private EventHubsConnectionStringProperties? ConnectionStringProperties()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return null;
        }

        try
        {
            EventHubsConnectionStringProperties properties = EventHubsConnectionStringProperties.Parse(ConnectionString);
            return properties.Endpoint is null ? null : properties;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>These settings for another hub of the namespace (the scale-out repartition and results hubs).</summary>
    public EventHubsTransportOptions ForHub(string eventHubName)
    {
        var copy = (EventHubsTransportOptions)MemberwiseClone();
        copy.EventHubName = eventHubName;
        return copy;
    }
}
