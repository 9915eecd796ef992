using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>The Blob ownership and checkpoint store against a real Azurite: ETag-conditional claims and checkpoint round trips.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobCheckpointStoreTests(AzuriteServer azurite)
{
    private const string Namespace = "Example.ServiceBus.Windows.Net";
    private const string Hub = "Plays";
    private const string Group = "$Default";

    private static EventProcessorPartitionOwnership Claim(string partition, string owner, string? version = null) => new()
    {
        FullyQualifiedNamespace = Namespace,
        EventHubName = Hub,
        ConsumerGroup = Group,
        PartitionId = partition,
        OwnerIdentifier = owner,
        Version = version,
    };

    private async Task<(BlobContainerClient Container, BlobCheckpointStore Store)> CreateStoreAsync()
    {
        BlobContainerClient container = await azurite.CreateContainerAsync("checkpoints");
        return (container, new BlobCheckpointStore(container));
    }

    [Fact]
    public async Task GivenAnUnownedPartition_WhenTwoReplicasClaimItAtOnce_ThenExactlyOneGetsIt()
    {
        var (_, store) = await CreateStoreAsync();

        for (int partition = 0; partition < 8; partition++)
        {
            string id = partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Task<IEnumerable<EventProcessorPartitionOwnership>> a = store.ClaimOwnershipAsync([Claim(id, "replica-a")], CancellationToken.None);
            Task<IEnumerable<EventProcessorPartitionOwnership>> b = store.ClaimOwnershipAsync([Claim(id, "replica-b")], CancellationToken.None);
            await Task.WhenAll(a, b);

            EventProcessorPartitionOwnership winner = Assert.Single((await a).Concat(await b));
            EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None), o => o.PartitionId == id);
            Assert.Equal(winner.OwnerIdentifier, listed.OwnerIdentifier);
            Assert.Equal(winner.Version, listed.Version);
        }
    }

    [Fact]
    public async Task GivenAPartitionTakenOverByAnotherReplica_WhenTheFormerOwnerRenewsWithItsOldVersion_ThenTheRenewalIsRefused()
    {
        var (_, store) = await CreateStoreAsync();
        EventProcessorPartitionOwnership first = Assert.Single(await store.ClaimOwnershipAsync([Claim("0", "replica-a")], CancellationToken.None));
        string oldVersion = first.Version;

        // Replica b saw a's record (its version) and takes the partition over, as the load balancer does with an expired claim.
        EventProcessorPartitionOwnership stolen = Assert.Single(await store.ClaimOwnershipAsync([Claim("0", "replica-b", oldVersion)], CancellationToken.None));
        IEnumerable<EventProcessorPartitionOwnership> renewed = await store.ClaimOwnershipAsync([Claim("0", "replica-a", oldVersion)], CancellationToken.None);

        Assert.Empty(renewed);
        Assert.NotEqual(oldVersion, stolen.Version);
        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None));
        Assert.Equal("replica-b", listed.OwnerIdentifier);
        Assert.Equal(stolen.Version, listed.Version);
    }

    [Fact]
    public async Task GivenAnOwnedPartition_WhenANewReplicaClaimsItWithoutAVersion_ThenTheClaimIsRefused()
    {
        var (_, store) = await CreateStoreAsync();
        Assert.Single(await store.ClaimOwnershipAsync([Claim("0", "replica-a")], CancellationToken.None));

        IEnumerable<EventProcessorPartitionOwnership> claimed = await store.ClaimOwnershipAsync([Claim("0", "replica-b")], CancellationToken.None);

        Assert.Empty(claimed);
        Assert.Equal("replica-a", Assert.Single(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None)).OwnerIdentifier);
    }

    [Fact]
    public async Task GivenAnOwnedPartition_WhenItsOwnerRenewsWithTheCurrentVersion_ThenTheClaimHoldsWithANewVersion()
    {
        var (_, store) = await CreateStoreAsync();
        EventProcessorPartitionOwnership first = Assert.Single(await store.ClaimOwnershipAsync([Claim("3", "replica-a")], CancellationToken.None));
        string firstVersion = first.Version;

        EventProcessorPartitionOwnership renewed = Assert.Single(await store.ClaimOwnershipAsync([Claim("3", "replica-a", firstVersion)], CancellationToken.None));

        Assert.NotEqual(firstVersion, renewed.Version);
        Assert.True(renewed.LastModifiedTime >= first.LastModifiedTime);
    }

    [Fact]
    public async Task GivenClaimsOfSeveralPartitions_WhenStored_ThenTheyAreBlobsInTheSdkLayoutWithTheOwnerInMetadata()
    {
        var (container, store) = await CreateStoreAsync();

        await store.ClaimOwnershipAsync([Claim("0", "replica-a"), Claim("1", "replica-b")], CancellationToken.None);

        var blobs = new List<BlobItem>();
        await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix: null, CancellationToken.None))
        {
            blobs.Add(blob);
        }

        Assert.Equal(
            ["example.servicebus.windows.net/plays/$default/ownership/0", "example.servicebus.windows.net/plays/$default/ownership/1"],
            blobs.Select(b => b.Name));
        Assert.Equal(["replica-a", "replica-b"], blobs.Select(b => b.Metadata["ownerid"]));
        Assert.All(blobs, b => Assert.Equal(0, b.Properties.ContentLength));
    }

    [Fact]
    public async Task GivenAnotherHubsAndGroupsClaims_WhenOwnershipIsListed_ThenOnlyThisHubAndGroupsComeBack()
    {
        var (_, store) = await CreateStoreAsync();
        await store.ClaimOwnershipAsync([Claim("0", "replica-a")], CancellationToken.None);
        var other = new EventProcessorPartitionOwnership
        {
            FullyQualifiedNamespace = Namespace,
            EventHubName = "plays-by-track",
            ConsumerGroup = Group,
            PartitionId = "0",
            OwnerIdentifier = "replica-c",
        };
        var otherGroup = new EventProcessorPartitionOwnership
        {
            FullyQualifiedNamespace = Namespace,
            EventHubName = Hub,
            ConsumerGroup = "site",
            PartitionId = "0",
            OwnerIdentifier = "replica-d",
        };
        await store.ClaimOwnershipAsync([other, otherGroup], CancellationToken.None);

        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None));

        Assert.Equal(("0", "replica-a", Namespace, Hub, Group), (listed.PartitionId, listed.OwnerIdentifier, listed.FullyQualifiedNamespace, listed.EventHubName, listed.ConsumerGroup));
    }

    [Fact]
    public async Task GivenACheckpoint_WhenReadBack_ThenItsSequenceNumberOffsetAndAuthorRoundTripAndReadingResumesAfterIt()
    {
        var (container, store) = await CreateStoreAsync();

        await store.UpdateCheckpointAsync(Namespace, Hub, Group, "2", "replica-a", new CheckpointPosition("4096", 41), CancellationToken.None);
        await store.UpdateCheckpointAsync(Namespace, Hub, Group, "2", "replica-a", new CheckpointPosition("8192", 77), CancellationToken.None);

        var checkpoint = Assert.IsType<BlobCheckpoint>(await store.GetCheckpointAsync(Namespace, Hub, Group, "2", CancellationToken.None));
        Assert.Equal((77L, "8192", "replica-a", "2"), (checkpoint.SequenceNumber, checkpoint.Offset, checkpoint.ClientIdentifier, checkpoint.PartitionId));
        Assert.Equal(EventPosition.FromOffset("8192", isInclusive: false), checkpoint.StartingPosition);
        Assert.NotNull(checkpoint.LastModified);
        BlobProperties blob = await container.GetBlobClient("example.servicebus.windows.net/plays/$default/checkpoint/2").GetPropertiesAsync();
        Assert.Equal("77", blob.Metadata["sequencenumber"]);
        Assert.Equal("8192", blob.Metadata["offset"]);
    }

    [Fact]
    public async Task GivenACheckpointBlobWithoutAnOffset_WhenRead_ThenReadingResumesAfterItsSequenceNumber()
    {
        var (container, store) = await CreateStoreAsync();
        var metadata = new Dictionary<string, string> { ["sequencenumber"] = "12", ["offset"] = string.Empty };
        await container.GetBlobClient("example.servicebus.windows.net/plays/$default/checkpoint/0")
            .UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata });

        EventProcessorCheckpoint? checkpoint = await store.GetCheckpointAsync(Namespace, Hub, Group, "0", CancellationToken.None);

        Assert.Equal(EventPosition.FromSequenceNumber(12, isInclusive: false), checkpoint!.StartingPosition);
        Assert.Null(Assert.IsType<BlobCheckpoint>(checkpoint).Offset);
    }

    [Fact]
    public async Task GivenNoCheckpoint_WhenRead_ThenThereIsNone()
    {
        var (_, store) = await CreateStoreAsync();

        Assert.Null(await store.GetCheckpointAsync(Namespace, Hub, Group, "0", CancellationToken.None));
        Assert.Empty(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAMissingContainer_WhenEnsured_ThenItIsCreatedAndEnsuringAgainIsHarmless()
    {
        BlobContainerClient container = azurite.Service.GetBlobContainerClient($"missing-{Guid.NewGuid():N}");
        var store = new BlobCheckpointStore(container);

        await store.EnsureContainerAsync(CancellationToken.None);
        await store.EnsureContainerAsync(CancellationToken.None);

        Assert.True(await container.ExistsAsync());
        Assert.Single(await store.ClaimOwnershipAsync([Claim("0", "replica-a")], CancellationToken.None));
    }
}
