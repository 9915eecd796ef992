using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// A replica that crashes part-way and one that restarts from the Blob checkpoints (on Azurite): together they
/// produce exactly the co-plays of one uninterrupted run, lose no play, and acknowledge poison records.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventHubsRedeliveryTests(AzuriteServer azurite) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly string[] Partitions = ["0", "1"];

    private readonly CityDatabase _cities = CityDatabase.Open(TestPlays.CityTestDb);
    private readonly FakeTimeProvider _clock = new(TestPlays.Start.AddMinutes(10));

    public void Dispose() => _cities.Dispose();

    /// <summary>
    /// Two partitions, each in event-time order: six tracks over twelve seconds, played in London and Linköping (co-plays)
    /// and Milton, with redelivered duplicates and poison records (malformed, missing event id, private session) between them.
    /// </summary>
    private static Dictionary<string, PartitionLog> Hub()
    {
        var logs = Partitions.ToDictionary(p => p, _ => new PartitionLog());
        string[] ips = [TestPlays.LondonIp, TestPlays.LinkopingIp, TestPlays.MiltonIp];
        int n = 0;
        for (int second = 0; second < 12; second++)
        {
            for (int track = 0; track < 6; track++)
            {
                PartitionLog log = logs[Partitions[track % 2]];
                for (int place = 0; place < 1 + ((second + track) % 3); place++)
                {
                    string eventId = string.Create(CultureInfo.InvariantCulture, $"e-{n++}");
                    byte[] play = TestPlays.Play(eventId, $"spotify:track:t{track}", ips[(place + track) % 3], (second * 1000) + (place * 10) + track);
                    log.Append(play);
                    if (n % 7 == 0)
                    {
                        log.Append(play);
                    }
                }
            }

            logs["0"].Append(Encoding.UTF8.GetBytes("{\"eventId\":"));
            logs["1"].Append(TestPlays.Play(string.Empty, "spotify:track:t1", TestPlays.LondonIp, second * 1000));
            logs["1"].Append(TestPlays.Play($"p-{second}", "spotify:track:t3", TestPlays.LondonIp, second * 1000, ",\"privateSession\":true"));
        }

        return logs;
    }

    private async Task<TestEventHubsProcessor> StartReplicaAsync(BlobCheckpointStore store, IReadOnlyDictionary<string, PartitionLog> hub)
    {
        var processor = new TestEventHubsProcessor(store, _clock);
        foreach ((string partition, PartitionLog log) in hub)
        {
            await processor.DeliverAsync(partition, log.Read(await processor.ClaimPartitionAsync(partition), int.MaxValue));
        }

        return processor;
    }

    /// <summary>Reads messages in arrival order, emitting ready windows as the pipeline does between reads.</summary>
    private static async Task HandleAsync(TestEventHubsProcessor processor, StreamingHarness harness, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        for (int i = 0; i < count; i++)
        {
            await harness.HandleAsync(await processor.Received.ReadAsync(timeout.Token));
            await harness.EmitReadyAsync();
        }
    }

    private async Task<Dictionary<(long, string), CoPlay>> UninterruptedRunAsync(IReadOnlyDictionary<string, PartitionLog> hub)
    {
        var results = new Dictionary<(long, string), CoPlay>();
        var store = new BlobCheckpointStore(await azurite.CreateContainerAsync("uninterrupted"));
        TestEventHubsProcessor processor = await StartReplicaAsync(store, hub);
        var harness = new StreamingHarness(_cities, _clock, results);
        await HandleAsync(processor, harness, hub.Values.Sum(l => l.Events.Count));
        await harness.FlushAllAsync();
        return results;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(60)]
    [InlineData(121)]
    [InlineData(180)]
    public async Task GivenAReplicaThatCrashesAfterSomeMessages_WhenAnotherRestartsFromTheCheckpoints_ThenTheCoPlaysAreThoseOfOneUninterruptedRun(int crashAfter)
    {
        Dictionary<string, PartitionLog> hub = Hub();
        int total = hub.Values.Sum(l => l.Events.Count);
        Dictionary<(long, string), CoPlay> expected = await UninterruptedRunAsync(hub);
        var store = new BlobCheckpointStore(await azurite.CreateContainerAsync("crash"));
        var results = new Dictionary<(long, string), CoPlay>();

        // The first replica handles part of the stream, checkpoints once half-way, handles more, and dies
        // without stopping: its open windows and everything after the checkpoint are never acknowledged there.
        TestEventHubsProcessor first = await StartReplicaAsync(store, hub);
        var before = new StreamingHarness(_cities, _clock, results);
        await HandleAsync(first, before, crashAfter / 2);
        await first.WriteCheckpointsAsync(CancellationToken.None);
        await HandleAsync(first, before, crashAfter - (crashAfter / 2));

        TestEventHubsProcessor second = await StartReplicaAsync(store, hub);
        var after = new StreamingHarness(_cities, _clock, results);
        int redelivered = 0;
        foreach (string partition in Partitions)
        {
            redelivered += hub[partition].After(await second.ReadCheckpointAsync(partition)).Count;
        }

        await HandleAsync(second, after, redelivered);
        await after.FlushAllAsync();
        await second.WriteCheckpointsAsync(CancellationToken.None);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(r => r.Key).Select(r => r.Value), results.OrderBy(r => r.Key).Select(r => r.Value));
        Assert.InRange(redelivered, total - crashAfter, total);

        // Nothing left behind: each partition's checkpoint now stands at its last event, poison records included.
        foreach (string partition in Partitions)
        {
            var checkpoint = Assert.IsType<BlobCheckpoint>(await second.ReadCheckpointAsync(partition));
            Assert.Equal(hub[partition].Events[^1].SequenceNumber, checkpoint.SequenceNumber);
        }
    }

    [Fact]
    public async Task GivenPoisonRecordsAroundAPlay_WhenHandled_ThenTheyAreAcknowledgedAndTheCheckpointPassesThem()
    {
        var store = new BlobCheckpointStore(await azurite.CreateContainerAsync("poison"));
        var log = new PartitionLog().Append(
            Encoding.UTF8.GetBytes("not json"),
            Encoding.UTF8.GetBytes("{\"eventId\":\"e-1\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"yesterday\"}"),
            TestPlays.Play("e-2", "spotify:track:a", TestPlays.LondonIp, 0),
            Encoding.UTF8.GetBytes("{\"eventId\":5}"));
        var hub = new Dictionary<string, PartitionLog> { ["0"] = log };
        TestEventHubsProcessor processor = await StartReplicaAsync(store, hub);
        var harness = new StreamingHarness(_cities, _clock, new Dictionary<(long, string), CoPlay>());

        await HandleAsync(processor, harness, 4);
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Equal(1, Assert.IsType<BlobCheckpoint>(await processor.ReadCheckpointAsync("0")).SequenceNumber);

        await harness.FlushAllAsync();
        await processor.WriteCheckpointsAsync(CancellationToken.None);
        Assert.Equal(3, Assert.IsType<BlobCheckpoint>(await processor.ReadCheckpointAsync("0")).SequenceNumber);
        Assert.Equal(1, harness.Ineligible[IneligibleReason.Malformed]);
        Assert.Equal(1, harness.Ineligible[IneligibleReason.InvalidPlayedAt]);
        Assert.Equal(1, harness.Ineligible[IneligibleReason.InvalidEventId]);
    }
}
