using System.Diagnostics;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Simulator;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Tests.Streaming.Health;

/// <summary>
/// The built-in simulator's publishing is a streaming write (DESIGN.md "Failure, exit codes and readiness"): while
/// the transport says its sends do not get through, it makes no plays and the <c>publish</c> part is not ready;
/// after the outage only plays made after it are sent; an outage past <c>Sinks:MaxOutageSeconds</c>, or a failure
/// that cannot pass, ends the process with one line naming the topic.
/// </summary>
public sealed class SimulatorPublishingTests
{
    private static readonly SinkTarget Topic = new(StreamingComponent.Publish, "Transport:PubSub:Topic", "plays");

    private readonly ComponentHealth _health = new();
    private readonly StageFailures _failures = new(null);

    [Fact]
    public async Task GivenAnOutage_WhenItEnds_ThenNothingWasPublishedMeanwhileAndOnlyPlaysMadeAfterItAreSent()
    {
        var publisher = new ScriptedPublisher { Problem = "Pub/Sub topic 'projects/p/topics/plays': Unavailable (down)" };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        SimulatorPublisher simulator = Create(publisher, maxOutageSeconds: 30);
        await simulator.StartAsync(stop.Token);

        await WaitUntilAsync(() => !_health.Snapshot().Single(c => c.Component == StreamingComponent.Publish).IsReady, "the publish part to be unready");
        string? problem = _health.Snapshot().Single(c => c.Component == StreamingComponent.Publish).Problem;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        int duringOutage = publisher.Published.Count;
        long endedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        publisher.Problem = null;
        await WaitUntilAsync(() => publisher.Published.Count >= 200, "200 plays after the outage");
        await simulator.StopAsync(CancellationToken.None);

        Assert.Equal("Transport:PubSub:Topic 'plays': Pub/Sub topic 'projects/p/topics/plays': Unavailable (down)", problem);
        Assert.Equal(0, duringOutage);
        long earliest = publisher.Published.Min(PlayedAtMs);
        Assert.True(earliest >= endedAtMs - (long)PlaySimulator.MaxDisorder.TotalMilliseconds, $"a play of {earliest} was sent after an outage that ended at {endedAtMs}");
        Assert.True(_health.Snapshot().Single(c => c.Component == StreamingComponent.Publish).IsReady);
        Assert.Null(_failures.First);
    }

    [Fact]
    public async Task GivenAnOutageLongerThanMaxOutageSeconds_WhilePublishing_ThenTheSimulatorEndsTheProcessNamingTheTopicAndTheLimit()
    {
        var publisher = new ScriptedPublisher { Problem = "Pub/Sub topic 'projects/p/topics/plays': Unavailable (down)" };
        SimulatorPublisher simulator = Create(publisher, maxOutageSeconds: 1);
        await simulator.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => _failures.First is not null, "the simulator to give up");
        await simulator.StopAsync(CancellationToken.None);

        Assert.Equal("Transport:PubSub:Topic 'plays': Pub/Sub topic 'projects/p/topics/plays': Unavailable (down) for longer than Sinks:MaxOutageSeconds (1 s)", _failures.First!.Description);
        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task GivenATopicThatIsGoneWithoutCreateMissing_WhenPublished_ThenTheSimulatorEndsTheProcessAtOnceNamingTheTopic()
    {
        var publisher = new ScriptedPublisher { Failure = new PubSubException("Publishing to projects/p/topics/plays failed: NotFound: Topic not found") };
        SimulatorPublisher simulator = Create(publisher, maxOutageSeconds: 30);
        var clock = Stopwatch.StartNew();
        await simulator.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => _failures.First is not null, "the simulator to give up");
        await simulator.StopAsync(CancellationToken.None);

        Assert.Equal("Transport:PubSub:Topic 'plays': Publishing to projects/p/topics/plays failed: NotFound: Topic not found", _failures.First!.Description);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"gave up after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private SimulatorPublisher Create(IPlayPublisher publisher, int maxOutageSeconds)
    {
        var loops = new LoopHeartbeats(TimeProvider.System);
        var retry = new SinkRetry(Options.Create(new SinksOptions { MaxOutageSeconds = maxOutageSeconds }), _health, loops, TimeProvider.System, NullLogger<SinkRetry>.Instance, TransportFailures.CannotPass);
        var supervisor = new StageSupervisor(retry, loops, _failures, _health, new SourceStatuses(), Options.Create(new DeadLetterOptions()), NullLogger<StageSupervisor>.Instance);
        _health.Track(StreamingComponent.Publish);
        PlaySimulator plays = SimulatorFactory.Create(new GeoOptions { CityDb = TestData.RealCityDb }, new SimulatorOptions { MalformedRate = 0 }, 250).Simulator;
        return new SimulatorPublisher(plays, publisher, Options.Create(new SimulatorOptions { PlaysPerSecond = 1000 }), TimeProvider.System, supervisor, Topic);
    }

    private static long PlayedAtMs(byte[] payload)
    {
        using JsonDocument play = JsonDocument.Parse(payload);
        return play.RootElement.GetProperty("playedAt").GetDateTimeOffset().ToUnixTimeMilliseconds();
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

    /// <summary>A transport publisher whose sends fail (<see cref="Problem"/>) or throw (<see cref="Failure"/>) as told.</summary>
    private sealed class ScriptedPublisher : IPlayPublisher, IPublisherStatus
    {
        private readonly Lock _gate = new();
        private readonly List<byte[]> _published = [];
        private volatile string? _problem;

        public string? Problem
        {
            get => _problem;
            set => _problem = value;
        }

        public Exception? Failure { get; init; }

        public IReadOnlyList<byte[]> Published
        {
            get
            {
                lock (_gate)
                {
                    return [.. _published];
                }
            }
        }

        public ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                return ValueTask.FromException(Failure);
            }

            lock (_gate)
            {
                _published.Add(payload.ToArray());
            }

            return ValueTask.CompletedTask;
        }
    }
}
