using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming.Health;

/// <summary>
/// <c>run --stage ingest</c> republishing through a transport that retries by itself (Pub/Sub) while it is down
/// (DESIGN.md "Failure, exit codes and readiness"): the stage reads nothing and acknowledges nothing meanwhile, the
/// <c>publish</c> part is not ready naming the topic, and an outage past <c>Sinks:MaxOutageSeconds</c> ends the process
/// with one line; one that ends sooner leaves the part ready and the plays acknowledged.
/// </summary>
public sealed class IngestPublishOutageTests : IDisposable
{
    private const string Down = "Pub/Sub topic 'projects/p/topics/repartition-0': Unavailable (down)";
    private static readonly SinkTarget Repartition = new(StreamingComponent.Publish, "Transport:PubSub:RepartitionTopicPrefix", "repartition");

    private readonly ComponentHealth _health = new();
    private readonly StageFailures _failures = new(null);
    private readonly Channel<IReceivedMessage> _source = Channel.CreateUnbounded<IReceivedMessage>();
    private readonly ConcurrentQueue<string> _acks = new();
    private readonly HeldPublisher _topic = new() { Problem = Down };
    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });

    public void Dispose() => _geo.Dispose();

    [Fact]
    public async Task GivenTheRepartitionTopicDownLongerThanMaxOutageSeconds_ThenTheStageEndsTheProcessNamingTheTopicAndTheLimitHavingAcknowledgedNothing()
    {
        using var ingest = new StageService<IngestStage>(Create(maxOutageSeconds: 1));
        await ingest.StartAsync(CancellationToken.None);
        await SendAsync("e1", "e2");

        await WaitUntilAsync(() => _failures.First is not null, "the stage to give up");
        await ingest.StopAsync(CancellationToken.None);

        Assert.Equal($"Transport:PubSub:RepartitionTopicPrefix 'repartition': {Down} for longer than Sinks:MaxOutageSeconds (1 s)", _failures.First!.Description);
        Assert.Empty(_acks);
    }

    [Fact]
    public async Task GivenTheRepartitionTopicDownBriefly_ThenThePublishPartIsUnreadyNamingItMeanwhileAndReadyWithThePlaysAcknowledgedAfter()
    {
        using var ingest = new StageService<IngestStage>(Create(maxOutageSeconds: 30));
        await ingest.StartAsync(CancellationToken.None);
        await SendAsync("e1", "e2");

        await WaitUntilAsync(() => !PublishPart.IsReady, "the publish part to be unready");
        string? problem = PublishPart.Problem;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        int ackedMeanwhile = _acks.Count;
        _topic.Problem = null;
        _topic.Release();
        await WaitUntilAsync(() => _acks.Count == 2 && PublishPart.IsReady, "both plays acknowledged and the part ready");
        await ingest.StopAsync(CancellationToken.None);

        Assert.Equal($"Transport:PubSub:RepartitionTopicPrefix 'repartition': {Down}", problem);
        Assert.Equal(0, ackedMeanwhile);
        Assert.Equal(["e1", "e2"], _acks.Order(StringComparer.Ordinal));
        Assert.Null(_failures.First);
    }

    private ComponentStatus PublishPart => _health.Snapshot().Single(c => c.Component == StreamingComponent.Publish);

    private IngestStage Create(int maxOutageSeconds)
    {
        var loops = new LoopHeartbeats(TimeProvider.System);
        var retry = new SinkRetry(Options.Create(new SinksOptions { MaxOutageSeconds = maxOutageSeconds }), _health, loops, TimeProvider.System, NullLogger<SinkRetry>.Instance);
        var supervisor = new StageSupervisor(retry, loops, _failures, _health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
        _health.Track(StreamingComponent.Publish);
        return new IngestStage(
            new ChannelSource(_source.Reader),
            new RawPlayReader(_geo.Cities, _geo.AnonymousIps, Options.Create(new PipelineOptions())),
            _topic,
            new PipelineCounters(),
            TimeProvider.System,
            NullLogger<IngestStage>.Instance,
            supervisor: supervisor,
            repartitionTopic: Repartition);
    }

    private async Task SendAsync(params string[] eventIds)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (string eventId in eventIds)
        {
            await _source.Writer.WriteAsync(new TestMessage(eventId, Play(eventId, "spotify:track:together", LondonIp, now), _acks));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Not within 30 s: {what}.");
            await Task.Delay(20);
        }
    }

    private sealed class TestMessage(string eventId, byte[] payload, ConcurrentQueue<string> acks) : IReceivedMessage
    {
        public ReadOnlyMemory<byte> Payload => payload;

        public string Source => "test";

        public DateTimeOffset ReceivedAt => DateTimeOffset.UtcNow;

        public PlayOverrides Overrides => default;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            acks.Enqueue(eventId);
            return ValueTask.CompletedTask;
        }
    }
}
