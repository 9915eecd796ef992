using System.Text;
using Azure.Messaging.EventHubs.Processor;
using ListeningTogether.Abstractions;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The processor's processing path as the SDK drives it (events from <see cref="Azure.Messaging.EventHubs.EventHubsModelFactory"/>),
/// checkpointing into the Blob store on a real Azurite: checkpoints only ever cover acknowledged events.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventHubsPlayProcessorTests(AzuriteServer azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 14, 10, 0, TimeSpan.Zero));

    private static byte[] Payload(int i) => Encoding.UTF8.GetBytes("{\"eventId\":\"e-" + i + "\"}");

    private async Task<TestEventHubsProcessor> CreateSutAsync(EventHubsTransportOptions? options = null)
    {
        var store = new BlobCheckpointStore(await azurite.CreateContainerAsync("processor"));
        return new TestEventHubsProcessor(store, _clock, options);
    }

    private static async Task<List<IReceivedMessage>> ReadAsync(TestEventHubsProcessor processor, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var messages = new List<IReceivedMessage>();
        while (messages.Count < count)
        {
            messages.Add(await processor.Received.ReadAsync(timeout.Token));
        }

        return messages;
    }

    private static async Task<long?> CheckpointedSequenceNumberAsync(TestEventHubsProcessor processor, string partitionId) =>
        (await processor.ReadCheckpointAsync(partitionId) as BlobCheckpoint)?.SequenceNumber;

    [Fact]
    public async Task GivenReceivedEvents_WhenNoneIsAcknowledged_ThenNoCheckpointIsWritten()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        var log = new PartitionLog().Append(Payload(0), Payload(1), Payload(2));
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", log.Events);
        await ReadAsync(processor, 3);

        await processor.WriteCheckpointsAsync(CancellationToken.None);

        Assert.Null(await processor.ReadCheckpointAsync("0"));
    }

    [Fact]
    public async Task GivenAcksOutOfOrder_WhenCheckpointsAreWritten_ThenEachStopsBeforeTheFirstUnacknowledgedEvent()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        var log = new PartitionLog().Append([.. Enumerable.Range(0, 5).Select(Payload)]);
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", log.Events);
        List<IReceivedMessage> m = await ReadAsync(processor, 5);

        await m[3].AckAsync(CancellationToken.None);
        await m[0].AckAsync(CancellationToken.None);
        await m[1].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Equal(1, await CheckpointedSequenceNumberAsync(processor, "0"));

        await m[2].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Equal(3, await CheckpointedSequenceNumberAsync(processor, "0"));

        await m[4].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        var checkpoint = Assert.IsType<BlobCheckpoint>(await processor.ReadCheckpointAsync("0"));
        Assert.Equal((4L, "4000"), (checkpoint.SequenceNumber, checkpoint.Offset));
        Assert.Equal(processor.Identifier, checkpoint.ClientIdentifier);
    }

    [Fact]
    public async Task GivenTwoPartitions_WhenOnlyOnesEventsAreAcknowledged_ThenOnlyItsCheckpointMoves()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("0");
        await processor.InitializePartitionAsync("1");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1)).Events);
        await processor.DeliverAsync("1", new PartitionLog().Append(Payload(2), Payload(3)).Events);
        List<IReceivedMessage> m = await ReadAsync(processor, 4);

        await m[2].AckAsync(CancellationToken.None);
        await m[3].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);

        Assert.Null(await processor.ReadCheckpointAsync("0"));
        Assert.Equal(1, await CheckpointedSequenceNumberAsync(processor, "1"));
        Assert.Equal(["0", "1"], processor.OwnedPartitions);
    }

    [Fact]
    public async Task GivenAPartitionLostToAnotherReplica_WhenItsEventsAreAcknowledgedLater_ThenThisReplicaWritesNoCheckpointForIt()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1)).Events);
        List<IReceivedMessage> m = await ReadAsync(processor, 2);

        await processor.StopPartitionAsync("0", ProcessingStoppedReason.OwnershipLost);
        await m[0].AckAsync(CancellationToken.None);
        await m[1].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);

        Assert.Null(await processor.ReadCheckpointAsync("0"));
        Assert.Empty(processor.OwnedPartitions);
    }

    [Fact]
    public async Task GivenAShutdown_WhenAPartitionStops_ThenItsLastAcknowledgedPositionIsWritten()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1), Payload(2)).Events);
        List<IReceivedMessage> m = await ReadAsync(processor, 3);
        await m[0].AckAsync(CancellationToken.None);
        await m[1].AckAsync(CancellationToken.None);

        await processor.StopPartitionAsync("0", ProcessingStoppedReason.Shutdown);

        Assert.Equal(1, await CheckpointedSequenceNumberAsync(processor, "0"));
    }

    [Fact]
    public async Task GivenAPartitionClaimedAgain_WhenAcksOfItsEarlierTurnArrive_ThenTheyDoNotMoveTheNewTurnsCheckpoint()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1)).Events);
        List<IReceivedMessage> earlier = await ReadAsync(processor, 2);

        // Lost and won back: the SDK starts the new turn from the store's checkpoint (none), so event 0 comes again.
        await processor.StopPartitionAsync("0", ProcessingStoppedReason.OwnershipLost);
        await processor.InitializePartitionAsync("0");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1)).Events);
        List<IReceivedMessage> again = await ReadAsync(processor, 2);
        await earlier[0].AckAsync(CancellationToken.None);
        await earlier[1].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Null(await processor.ReadCheckpointAsync("0"));

        await again[0].AckAsync(CancellationToken.None);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Equal(0, await CheckpointedSequenceNumberAsync(processor, "0"));
    }

    [Fact]
    public async Task GivenAnEvent_WhenReceived_ThenItCarriesItsPayloadTheReceiveTimeAndASourceNamingHubPartitionAndSequenceNumber()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("3");
        var log = new PartitionLog().Append(Payload(0), Payload(1));

        await processor.DeliverAsync("3", log.Events);

        IReceivedMessage second = (await ReadAsync(processor, 2))[1];
        Assert.Equal(Payload(1), second.Payload.ToArray());
        Assert.Equal(_clock.GetUtcNow(), second.ReceivedAt);
        Assert.Equal("eventhubs:plays/3@1", second.Source);
    }

    [Fact]
    public async Task GivenAFullReceiveBuffer_WhenMoreEventsArrive_ThenThePartitionWaitsUntilThePipelineReads()
    {
        EventHubsTransportOptions options = TestEventHubsProcessor.Options();
        options.ReceiveBufferCapacity = 2;
        TestEventHubsProcessor processor = await CreateSutAsync(options);
        await processor.InitializePartitionAsync("0");

        Task delivery = processor.DeliverAsync("0", new PartitionLog().Append(Payload(0), Payload(1), Payload(2)).Events);
        await Task.Delay(100);
        Assert.False(delivery.IsCompleted, "the batch was taken while the buffer was full");

        List<IReceivedMessage> read = await ReadAsync(processor, 3);
        await delivery.WaitAsync(Patience);
        Assert.Equal([Payload(0), Payload(1), Payload(2)], read.Select(r => r.Payload.ToArray()));
    }

    [Fact]
    public async Task GivenAnErrorFromThePartitionPump_WhenReported_ThenProcessingGoesOn()
    {
        TestEventHubsProcessor processor = await CreateSutAsync();
        await processor.InitializePartitionAsync("0");

        await processor.ReportErrorAsync(new InvalidOperationException("receive link closed"), "0");
        await processor.DeliverAsync("0", new PartitionLog().Append(Payload(0)).Events);

        Assert.Equal(Payload(0), (await ReadAsync(processor, 1))[0].Payload.ToArray());
    }
}
