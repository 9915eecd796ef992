using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Transports.Tests.Fixtures;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>
/// What every transport must give the streaming pipeline (DESIGN.md "Streaming semantics"), checked by running
/// the Host's real pipeline over it with the shared co-play example: the same co-plays for the same plays on
/// every transport; acknowledgement only after a play's window was emitted; redelivered copies counted once;
/// malformed messages dead-lettered and acknowledged without holding up the rest; nothing lost when a worker stops.
/// A transport subclasses this with <see cref="CreateTransportAsync"/>.
/// </summary>
public abstract partial class TransportConformanceTests : IDisposable
{
    /// <summary>Event times of the example span one minute: with this lateness nothing is late whatever the delivery order, and windows close on the idle flush.</summary>
    private static readonly PipelineOptions Options = new() { AllowedLatenessMs = 300_000, IdleFlushMs = 3_000 };

    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });

    /// <summary>A fresh transport with nothing published on it yet.</summary>
    protected abstract Task<TransportUnderTest> CreateTransportAsync();

    private static readonly byte[][] ExamplePlays = [.. File.ReadLines(TestData.Example("plays.jsonl")).Select(Encoding.UTF8.GetBytes)];

    private static readonly string ExpectedCoPlays = File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8);

    private const int ExpectedCoPlayCount = 496;
    private const int ExampleEligible = 2811;

    public void Dispose()
    {
        _geo.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task PublishAsync(TransportUnderTest transport, IEnumerable<byte[]> payloads)
    {
        foreach (byte[] payload in payloads)
        {
            await transport.Publisher.PublishAsync(payload, CancellationToken.None);
        }

        await transport.Publisher.FlushAsync(CancellationToken.None);
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan patience, Func<string> state)
    {
        DateTime giveUp = DateTime.UtcNow + patience;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"Timed out after {patience.TotalSeconds:0} s; {state()}");
            }

            await Task.Delay(50);
        }
    }

    private static string Describe(PipelineRun run) =>
        $"records {run.Counters.Records}, eligible {run.Counters.Eligible}, co-plays {run.Counters.CoPlays}, acks {run.Acked.Count}, dead letters {run.DeadLetters.Entries.Count}";

    /// <summary>Runs one worker until every published payload has been acknowledged and the expected co-plays were written.</summary>
    private async Task<PipelineRun> RunToTheEndAsync(TransportUnderTest transport, IEnumerable<byte[]> published)
    {
        var distinct = published.Select(Convert.ToBase64String).ToHashSet();
        PipelineRun run = await PipelineRun.StartAsync(transport.OpenSource(), _geo, Options);
        await PublishAsync(transport, published);
        await EventuallyAsync(
            () => run.Counters.CoPlays >= ExpectedCoPlayCount && distinct.IsSubsetOf(run.Acked),
            transport.Patience,
            () => Describe(run));
        await run.StopAsync();
        await transport.AssertNothingPendingAsync();
        return run;
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenPublishedAndStreamedThroughThePipeline_ThenTheCoPlaysAreExactlyTheExpectedOnes()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();

        await using PipelineRun run = await RunToTheEndAsync(transport, ExamplePlays);

        Assert.Equal(ExpectedCoPlays, run.CoPlaysJsonl);
        Assert.Equal(ExamplePlays.Length, run.Counters.Records);
        Assert.Equal(ExampleEligible, run.Counters.Eligible);
        Assert.Equal(0, run.Counters[IneligibleReason.Late]);
    }

    [Fact]
    public async Task GivenEveryPlayPublishedTwice_WhenStreamed_ThenEachPlayCountsOnceAndTheCoPlaysAreUnchanged()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();

        await using PipelineRun run = await RunToTheEndAsync(transport, ExamplePlays.Concat(ExamplePlays));

        Assert.Equal(ExpectedCoPlays, run.CoPlaysJsonl);
        Assert.Equal(2 * ExamplePlays.Length, run.Counters.Records);
        Assert.Equal(ExpectedCoPlayCount, run.Counters.CoPlays);
    }

    [Fact]
    public async Task GivenMalformedMessagesAmongThePlays_WhenStreamed_ThenEachIsDeadLetteredAndAcknowledgedAndTheCoPlaysAreUnchanged()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        byte[][] poison = [.. Enumerable.Range(0, 30).Select(Poison)];
        IEnumerable<byte[]> mixed = ExamplePlays.Select((play, i) => i % 100 == 0 && i / 100 < poison.Length ? [poison[i / 100], play] : new[] { play }).SelectMany(p => p);

        await using PipelineRun run = await RunToTheEndAsync(transport, mixed);

        Assert.Equal(ExpectedCoPlays, run.CoPlaysJsonl);
        Assert.Equal(ExamplePlays.Length + poison.Length, run.Counters.Records);
        var deadLetteredMalformed = run.DeadLetters.Entries
            .Where(d => d.Reason == IneligibleReason.Malformed)
            .Select(d => Convert.ToBase64String(d.Payload.Span))
            .ToHashSet();
        Assert.Equal(poison.Select(Convert.ToBase64String).ToHashSet(), deadLetteredMalformed);
        Assert.All(run.DeadLetters.Entries, d => Assert.False(string.IsNullOrEmpty(d.Source)));
    }

    [Fact]
    public async Task GivenAWorkerStoppedBeforeItsWindowsWereEmitted_WhenAnotherWorkerReadsTheTransport_ThenOnlyIneligibleRecordsWereAcknowledgedAndNothingIsLost()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        var holding = new PipelineOptions { AllowedLatenessMs = 300_000, IdleFlushMs = 600_000 };
        PipelineRun first = await PipelineRun.StartAsync(transport.OpenSource(), _geo, holding);
        await PublishAsync(transport, ExamplePlays);
        await EventuallyAsync(() => first.Counters.Records >= ExamplePlays.Length, transport.Patience, () => Describe(first));
        await Task.Delay(500);

        await first.DisposeAsync();

        // Ineligible records are acknowledged once counted; eligible ones wait for their window, which never closed.
        Assert.Equal(0, first.Counters.CoPlays);
        Assert.Equal(ExamplePlays.Length - ExampleEligible, first.Acked.Count);
        if (transport.RedeliversUnacknowledged)
        {
            // Held messages come back in waves as their deadlines pass: the idle flush waits longer than the ack deadline.
            var restarted = new PipelineOptions { AllowedLatenessMs = 300_000, IdleFlushMs = (int)transport.RedeliveryWithin.TotalMilliseconds };
            await using PipelineRun second = await PipelineRun.StartAsync(transport.OpenSource(), _geo, restarted);
            await EventuallyAsync(() => second.Counters.CoPlays >= ExpectedCoPlayCount && second.Acked.Count >= ExampleEligible, transport.Patience, () => Describe(second));
            await second.StopAsync();

            Assert.Equal(ExpectedCoPlays, second.CoPlaysJsonl);
            await transport.AssertNothingPendingAsync();
        }
    }

    /// <summary>Malformed records of several kinds, each unique: cut JSON, invalid UTF-8, not an object, an optional field of the wrong type.</summary>
    private static byte[] Poison(int i) => (i % 4) switch
    {
        0 => Encoding.UTF8.GetBytes($"{{\"eventId\":\"poison-{i}\",\"trackId\":"),
        1 => [0xFF, 0xFE, (byte)'{', (byte)i],
        2 => Encoding.UTF8.GetBytes($"[\"poison\",{i}]"),
        _ => Encoding.UTF8.GetBytes($"{{\"eventId\":\"poison-{i}\",\"trackId\":\"t\",\"userId\":{i},\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}}"),
    };
}
