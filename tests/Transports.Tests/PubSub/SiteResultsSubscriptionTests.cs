using System.Diagnostics;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Tests.Shared;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// Site replicas on the real Pub/Sub emulator (DESIGN.md "One world view"): each reads the results topic through a
/// subscription of its own, <c>ResultsSubscription-REPLICA</c>, so every replica gets every result. The subscription
/// is created at the first read (with a one-day expiration policy, whether or not <c>CreateMissing</c> is set),
/// created again when lost, and deleted at a clean stop.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class SiteResultsSubscriptionTests(PubSubEmulatorFixture emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GivenTwoSiteReplicasReading_WhenResultsArePublished_ThenEachReplicaReadsEveryOne()
    {
        PubSubTransportOptions options = ResultsOptions();
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        var topology = new PubSubScaleOut(connection, options, _ => null);
        await using var first = new ResultsReader(topology.OpenResults("site-a"));
        await using var second = new ResultsReader(topology.OpenResults("site-b"));
        await first.WaitUntilReadableAsync();
        await second.WaitUntilReadableAsync();

        string[] published = [.. Enumerable.Range(0, 20).Select(i => $"result-{i}")];
        IKeyedPublisher results = topology.OpenResultsPublisher();
        using var publishing = new CancellationTokenSource(Patience);
        foreach (string result in published)
        {
            await results.PublishAsync(result, Encoding.UTF8.GetBytes(result), publishing.Token);
        }

        await results.FlushAsync(publishing.Token);

        Assert.Equal(published.Order(StringComparer.Ordinal), (await first.ReadAsync(published.Length)).Order(StringComparer.Ordinal));
        Assert.Equal(published.Order(StringComparer.Ordinal), (await second.ReadAsync(published.Length)).Order(StringComparer.Ordinal));
        Assert.False(await PubSubSubscriptions.ExistsAsync(connection, options.ResultsSubscription), "the results publisher created the old shared subscription");
    }

    [Fact]
    public async Task GivenASiteReplicaReading_WhenItStopsCleanly_ThenItsSubscriptionExpiresAfterADayWhileReadAndIsGoneAfter()
    {
        PubSubTransportOptions options = ResultsOptions();
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        var topology = new PubSubScaleOut(connection, options, _ => null);
        string subscription = options.ResultsSubscription + "-site-a";
        await using var reader = new ResultsReader(topology.OpenResults("site-a"));
        await reader.WaitUntilReadableAsync();

        Subscription read = await connection.SubscriberClient.GetSubscriptionAsync(new GetSubscriptionRequest { Subscription = connection.SubscriptionName(subscription) });
        Assert.Equal(connection.TopicName(options.ResultsTopic), read.Topic);
        Assert.Equal(TimeSpan.FromDays(1), read.ExpirationPolicy?.Ttl?.ToTimeSpan());

        await reader.StopAsync();

        Assert.False(await PubSubSubscriptions.ExistsAsync(connection, subscription), "the subscription is still there after a clean stop");
    }

    [Fact]
    public async Task GivenNoCreateMissing_WhenASiteReplicasSubscriptionIsDeletedBehindItsBack_ThenTheReplicaCreatesItAgainAndReadsOn()
    {
        PubSubTransportOptions options = ResultsOptions(o => o.CreateMissing = false);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureTopicAsync(options.ResultsTopic, CancellationToken.None);
        var topology = new PubSubScaleOut(connection, options, _ => null);
        string subscription = options.ResultsSubscription + "-site-a";
        await using var reader = new ResultsReader(topology.OpenResults("site-a"));
        await reader.WaitUntilReadableAsync();
        Assert.True(await PubSubSubscriptions.ExistsAsync(connection, subscription), "the replica's own subscription was not created without CreateMissing");

        await connection.SubscriberClient.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = connection.SubscriptionName(subscription) });

        // What is published before the subscription exists again is lost with it: publish until one arrives.
        IKeyedPublisher results = topology.OpenResultsPublisher();
        var clock = Stopwatch.StartNew();
        using var publishing = new CancellationTokenSource(Patience);
        for (int i = 0; !reader.HasRead; i++)
        {
            Assert.True(clock.Elapsed < Patience, "Nothing read after the subscription was deleted.");
            await results.PublishAsync("after", Encoding.UTF8.GetBytes($"after-{i}"), publishing.Token);
            await results.FlushAsync(publishing.Token);
            await Task.Delay(200);
        }

        Assert.StartsWith("after-", (await reader.ReadAsync(1))[0], StringComparison.Ordinal);
        Assert.True(await PubSubSubscriptions.ExistsAsync(connection, subscription));
    }

    private PubSubTransportOptions ResultsOptions(Action<PubSubTransportOptions>? configure = null) =>
        emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), o =>
        {
            o.ResultsTopic = emulator.UniqueName("coplays");
            o.ResultsSubscription = emulator.UniqueName("site");
            configure?.Invoke(o);
        });


    /// <summary>One site replica's read of its results source, running in the background and acknowledging each result.</summary>
    private sealed class ResultsReader : IAsyncDisposable
    {
        private readonly IPlaySource _source;
        private readonly List<string> _read = [];
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly CancellationTokenSource _stop = new(Patience * 2);
        private readonly Task _reading;

        public ResultsReader(IPlaySource source)
        {
            _source = source;
            _reading = Task.Run(() => ReadAllAsync(_stop.Token), CancellationToken.None);
        }

        public bool HasRead
        {
            get
            {
                lock (_read)
                {
                    return _read.Count > 0;
                }
            }
        }

        /// <summary>Returns once the source says it can be read: its subscription exists.</summary>
        public async Task WaitUntilReadableAsync()
        {
            var clock = Stopwatch.StartNew();
            while (((ISourceStatus)_source).Problem is not null)
            {
                Assert.False(_reading.IsFaulted, $"The read failed: {_reading.Exception?.InnerException?.Message}");
                Assert.True(clock.Elapsed < Patience, $"Not readable within {Patience.TotalSeconds:0} s: {((ISourceStatus)_source).Problem}");
                await Task.Delay(50);
            }
        }

        /// <summary>The first <paramref name="count"/> results read, waiting for them.</summary>
        public async Task<List<string>> ReadAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(await _arrived.WaitAsync(Patience), $"Only {i} of {count} results read.");
            }

            lock (_read)
            {
                return [.. _read.Take(count)];
            }
        }

        /// <summary>Cancels the read, as a replica's clean stop does, and returns once it ended (its subscriber's stop included).</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _reading).WaitAsync(Patience);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
            _arrived.Dispose();
        }

        private async Task ReadAllAsync(CancellationToken stop)
        {
            await foreach (IReceivedMessage message in _source.ReadAllAsync(stop))
            {
                lock (_read)
                {
                    _read.Add(Encoding.UTF8.GetString(message.Payload.Span));
                }

                await message.AckAsync(CancellationToken.None);
                _arrived.Release();
            }
        }
    }
}
