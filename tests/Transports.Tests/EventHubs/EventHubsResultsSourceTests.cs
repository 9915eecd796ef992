using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// A site replica's read of the results hub (DESIGN.md "One world view"): every partition, from the latest event
/// on, in the site consumer group, with no checkpoint, ownership or load balancing, so every replica gets every result.
/// </summary>
public sealed class EventHubsResultsSourceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GivenASiteReaderStarted_WhenEventsAreAppendedToEveryPartition_ThenItGetsEachOfThemAndNoneFromBefore()
    {
        var hub = new TestEventHub(partitionCount: 4);
        foreach (string partition in hub.PartitionIds)
        {
            hub[partition].Append(Encoding.UTF8.GetBytes($"before-{partition}"));
        }

        var client = new TestConsumerClient(hub);
        using var stop = new CancellationTokenSource(Patience * 3);
        await using IAsyncEnumerator<IReceivedMessage> reader = Source(client).ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        ValueTask<bool> first = reader.MoveNextAsync();
        await client.AllStartedAsync(stop.Token);

        foreach (string partition in hub.PartitionIds)
        {
            hub[partition].Append(Encoding.UTF8.GetBytes($"after-{partition}-a"), Encoding.UTF8.GetBytes($"after-{partition}-b"));
        }

        var read = new List<(string Payload, string Source)>();
        Assert.True(await first.AsTask().WaitAsync(Patience));
        do
        {
            read.Add((Encoding.UTF8.GetString(reader.Current.Payload.Span), reader.Current.Source));
            await reader.Current.AckAsync(CancellationToken.None);
        }
        while (read.Count < 8 && await reader.MoveNextAsync().AsTask().WaitAsync(Patience));

        Assert.Equal(
            hub.PartitionIds.SelectMany(p => new[] { ($"after-{p}-a", $"eventhubs:coplays/{p}@1"), ($"after-{p}-b", $"eventhubs:coplays/{p}@2") }).Order(),
            read.Order());
        Assert.All(client.Reads, r => Assert.Equal(EventPosition.Latest, r.Position));
        Assert.All(client.Reads, r => Assert.Null(r.Options.OwnerLevel));
        Assert.Equal(hub.PartitionIds.Order(StringComparer.Ordinal), client.Reads.Select(r => r.PartitionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenResultsReadAndAcknowledged_WhenTheReplicaReadsAgain_ThenItStartsAtTheLatestEventNotAfterACheckpoint()
    {
        var hub = new TestEventHub(partitionCount: 2);
        var client = new TestConsumerClient(hub);
        EventHubsResultsSource source = Source(client);
        using (var stop = new CancellationTokenSource(Patience * 3))
        {
            await using IAsyncEnumerator<IReceivedMessage> reader = source.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
            ValueTask<bool> first = reader.MoveNextAsync();
            await client.AllStartedAsync(stop.Token);
            hub["0"].Append("acked"u8.ToArray());
            Assert.True(await first.AsTask().WaitAsync(Patience));
            await reader.Current.AckAsync(CancellationToken.None);
            hub["0"].Append("unread"u8.ToArray());
        }

        var again = new TestConsumerClient(hub);
        using var stopAgain = new CancellationTokenSource(Patience * 3);
        await using IAsyncEnumerator<IReceivedMessage> restarted = Source(again).ReadAllAsync(stopAgain.Token).GetAsyncEnumerator(stopAgain.Token);
        ValueTask<bool> next = restarted.MoveNextAsync();
        await again.AllStartedAsync(stopAgain.Token);
        hub["1"].Append("new"u8.ToArray());

        Assert.True(await next.AsTask().WaitAsync(Patience));
        Assert.Equal("new", Encoding.UTF8.GetString(restarted.Current.Payload.Span));
        Assert.All(again.Reads, r => Assert.Equal(EventPosition.Latest, r.Position));
    }

    [Fact]
    public async Task GivenOnePartitionsReadFailsForGood_WhenReading_ThenTheReadEndsWithThatFailure()
    {
        var client = new TestConsumerClient(new TestEventHub(partitionCount: 3)) { FailingPartition = "1" };
        using var stop = new CancellationTokenSource(Patience * 3);

        var e = await Assert.ThrowsAsync<EventHubsException>(async () =>
        {
            await foreach (IReceivedMessage message in Source(client).ReadAllAsync(stop.Token))
            {
                await message.AckAsync(CancellationToken.None);
            }
        });

        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, e.Reason);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task GivenTheResultsHubAndASiteConsumerGroup_WhenASiteReplicaOpensResults_ThenItReadsThatHubInThatGroupNamedAfterTheReplica()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:EventHubs:ConnectionString"] = "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0LWtleQ==",
            ["Transport:EventHubs:EventHubName"] = "plays",
            ["Transport:EventHubs:ResultsEventHubName"] = "coplays",
            ["Transport:EventHubs:ConsumerGroup"] = "match",
            ["Transport:EventHubs:SiteConsumerGroup"] = "site-west",
            ["Transport:EventHubs:CheckpointStore:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Transport:EventHubs:CheckpointStore:Container"] = "checkpoints",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddEventHubsTransport(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider();

        var source = Assert.IsType<EventHubsResultsSource>(provider.GetRequiredService<IScaleOutTransport>().OpenResults("site-a"));

        Assert.Equal(("example.servicebus.windows.net", "coplays", "site-west", "site-a"), (source.Client.FullyQualifiedNamespace, source.Client.EventHubName, source.Client.ConsumerGroup, source.Client.Identifier));
    }

    private static EventHubsResultsSource Source(EventHubConsumerClient client) =>
        new(client, "coplays", bufferCapacity: 1_000, TimeProvider.System, NullLogger.Instance);
}
