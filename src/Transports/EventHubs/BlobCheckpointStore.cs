using System.Globalization;
using Azure;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Partition ownership and checkpoints as empty blobs with metadata, in the layout of the SDK's own Blob store:
/// <c>{namespace}/{hub}/{consumer group}/ownership/{partition}</c> (metadata <c>ownerid</c>) and
/// <c>.../checkpoint/{partition}</c> (metadata <c>sequencenumber</c>, <c>offset</c>, <c>clientidentifier</c>).
/// Claims are ETag-conditional (If-Match the version last seen, If-None-Match * for a new blob), so of two
/// replicas racing for a partition exactly one wins.
/// </summary>
internal sealed class BlobCheckpointStore : CheckpointStore
{
    private const string OwnerIdentifierKey = "ownerid";
    private const string SequenceNumberKey = "sequencenumber";
    private const string OffsetKey = "offset";
    private const string ClientIdentifierKey = "clientidentifier";

    private readonly BlobContainerClient _container;

    public BlobCheckpointStore(BlobContainerClient container)
    {
        _container = container;
    }

    /// <summary>Creates the container when missing; an identity allowed only to read and write blobs gets 403 here and goes on.</summary>
    public async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // The container is then expected to exist; the first listing says so clearly if it does not.
        }
    }

    public static string OwnershipPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        Prefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + "ownership/";

    public static string CheckpointPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        Prefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + "checkpoint/";

    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(
        string fullyQualifiedNamespace,
        string eventHubName,
        string consumerGroup,
        CancellationToken cancellationToken)
    {
        string prefix = OwnershipPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup);
        var result = new List<EventProcessorPartitionOwnership>();
        await foreach (BlobItem blob in _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            result.Add(new EventProcessorPartitionOwnership
            {
                FullyQualifiedNamespace = fullyQualifiedNamespace,
                EventHubName = eventHubName,
                ConsumerGroup = consumerGroup,
                PartitionId = blob.Name[prefix.Length..],
                OwnerIdentifier = blob.Metadata.TryGetValue(OwnerIdentifierKey, out string? owner) ? owner : string.Empty,
                LastModifiedTime = blob.Properties.LastModified.GetValueOrDefault(),
                Version = Version(blob.Properties.ETag),
            });
        }

        return result;
    }

    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(
        IEnumerable<EventProcessorPartitionOwnership> desiredOwnership,
        CancellationToken cancellationToken)
    {
        var claimed = new List<EventProcessorPartitionOwnership>();
        foreach (EventProcessorPartitionOwnership ownership in desiredOwnership)
        {
            BlobClient blob = _container.GetBlobClient(
                OwnershipPrefix(ownership.FullyQualifiedNamespace, ownership.EventHubName, ownership.ConsumerGroup) + ownership.PartitionId);
            var metadata = new Dictionary<string, string> { [OwnerIdentifierKey] = ownership.OwnerIdentifier ?? string.Empty };
            try
            {
                // With a version the claim replaces exactly that record; without one it may only create the blob.
                // Either way a replica that claimed in between makes the condition fail, and this claim is lost.
                (DateTimeOffset modified, ETag etag) = ownership.Version is { Length: > 0 } version
                    ? await ReplaceOwnershipAsync(blob, metadata, new ETag(version), cancellationToken).ConfigureAwait(false)
                    : await CreateOwnershipAsync(blob, metadata, cancellationToken).ConfigureAwait(false);
                ownership.LastModifiedTime = modified;
                ownership.Version = Version(etag);
                claimed.Add(ownership);
            }
            catch (RequestFailedException e) when (IsLostRace(e))
            {
                // Another replica owns it now; the load balancer sees that on its next listing.
            }
        }

        return claimed;
    }

    public override async Task<EventProcessorCheckpoint?> GetCheckpointAsync(
        string fullyQualifiedNamespace,
        string eventHubName,
        string consumerGroup,
        string partitionId,
        CancellationToken cancellationToken)
    {
        BlobClient blob = _container.GetBlobClient(CheckpointPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + partitionId);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        IDictionary<string, string> metadata = properties.Metadata;
        string? offset = metadata.TryGetValue(OffsetKey, out string? o) && o.Length > 0 ? o : null;
        long? sequenceNumber = metadata.TryGetValue(SequenceNumberKey, out string? s)
            && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) ? parsed : null;
        if (offset is null && sequenceNumber is null)
        {
            return null;
        }

        return new BlobCheckpoint
        {
            FullyQualifiedNamespace = fullyQualifiedNamespace,
            EventHubName = eventHubName,
            ConsumerGroup = consumerGroup,
            PartitionId = partitionId,
            ClientIdentifier = metadata.TryGetValue(ClientIdentifierKey, out string? client) ? client : null,
            LastModified = properties.LastModified,
            SequenceNumber = sequenceNumber,
            Offset = offset,

            // Reading resumes after the checkpointed event, never at it.
            StartingPosition = offset is not null
                ? EventPosition.FromOffset(offset, isInclusive: false)
                : EventPosition.FromSequenceNumber(sequenceNumber!.Value, isInclusive: false),
        };
    }

    public override async Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace,
        string eventHubName,
        string consumerGroup,
        string partitionId,
        string clientIdentifier,
        CheckpointPosition startingPosition,
        CancellationToken cancellationToken)
    {
        BlobClient blob = _container.GetBlobClient(CheckpointPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + partitionId);
        var metadata = new Dictionary<string, string>
        {
            [SequenceNumberKey] = startingPosition.SequenceNumber.ToString(CultureInfo.InvariantCulture),
            [OffsetKey] = startingPosition.OffsetString ?? string.Empty,
            [ClientIdentifierKey] = clientIdentifier ?? string.Empty,
        };
        try
        {
            await blob.SetMetadataAsync(metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await blob.UploadAsync(BinaryData.Empty, new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
        }
    }

    [Obsolete("Offsets are strings; the processor calls the overload taking a CheckpointPosition.")]
    public override Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace,
        string eventHubName,
        string consumerGroup,
        string partitionId,
        long offset,
        long? sequenceNumber,
        CancellationToken cancellationToken) =>
        UpdateCheckpointAsync(
            fullyQualifiedNamespace,
            eventHubName,
            consumerGroup,
            partitionId,
            string.Empty,
            new CheckpointPosition(offset.ToString(CultureInfo.InvariantCulture), sequenceNumber ?? long.MinValue),
            cancellationToken);

    private static async Task<(DateTimeOffset, ETag)> ReplaceOwnershipAsync(BlobClient blob, Dictionary<string, string> metadata, ETag version, CancellationToken cancellationToken)
    {
        BlobInfo info = (await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = version }, cancellationToken).ConfigureAwait(false)).Value;
        return (info.LastModified, info.ETag);
    }

    private static async Task<(DateTimeOffset, ETag)> CreateOwnershipAsync(BlobClient blob, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Metadata = metadata, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        BlobContentInfo info = (await blob.UploadAsync(BinaryData.Empty, options, cancellationToken).ConfigureAwait(false)).Value;
        return (info.LastModified, info.ETag);
    }

    /// <summary>412: the version changed (If-Match); 409: the blob exists (If-None-Match *); 404: the record was deleted.</summary>
    private static bool IsLostRace(RequestFailedException e) => e.Status is 412 or 409 or 404;

    private static string Version(ETag? etag) => etag?.ToString().Trim('"') ?? string.Empty;

    private static string Prefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        string.Create(CultureInfo.InvariantCulture, $"{fullyQualifiedNamespace.ToLowerInvariant()}/{eventHubName.ToLowerInvariant()}/{consumerGroup.ToLowerInvariant()}/");
}
