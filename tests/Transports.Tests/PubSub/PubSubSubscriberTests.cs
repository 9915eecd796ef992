using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>The StreamingPull subscriber on the real emulator: leases, redelivery, flow control, attributes and errors.</summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubSubscriberTests(PubSubEmulatorFixture emulator) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (IDisposable d in _disposables)
        {
            d.Dispose();
        }
    }

    private async Task<(PubSubConnection Connection, PubSubTransportOptions Options)> CreateAsync(Action<PubSubTransportOptions>? configure = null)
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), configure);
        PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        _disposables.Add(connection);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        return (connection, options);
    }

    private static async Task PublishAsync(PubSubConnection connection, PubSubTransportOptions options, IEnumerable<string> payloads)
    {
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic);
        foreach (string payload in payloads)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(payload), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None);
    }

    private static string Text(IReceivedMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    [Fact]
    public async Task GivenAMessageHeldLongerThanTheAckDeadline_WhileTheReaderRuns_ThenItsLeaseIsExtendedAndItDoesNotComeBack()
    {
        var (connection, options) = await CreateAsync();
        await PublishAsync(connection, options, ["held"]);
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        SubscriberSession? session = null;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using IAsyncEnumerator<IReceivedMessage> reader = subscriber.ReadAllAsync(s => session = s, stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await reader.MoveNextAsync());
        IReceivedMessage held = reader.Current;
        ValueTask<bool> next = reader.MoveNextAsync();
        await Task.Delay(TimeSpan.FromSeconds(options.AckDeadlineSeconds + 5));

        Assert.False(next.IsCompleted, "the held message was redelivered while its lease should have been extended");
        Assert.True(session!.Leases.Extended >= 1, $"extensions sent: {session.Leases.Extended}");
        Assert.Equal("held", Text(held));
        await held.AckAsync(CancellationToken.None);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task GivenMessagesReadButNeverAcknowledged_WhenTheReaderStops_ThenItHandsThemBackAndANewReaderGetsThemAllLongBeforeTheAckDeadline()
    {
        // A deadline long enough that messages merely left to expire could not come back within the patience below.
        var (connection, options) = await CreateAsync(o => o.AckDeadlineSeconds = 60);
        string[] payloads = [.. Enumerable.Range(0, 500).Select(i => "unacked-" + i)];
        await PublishAsync(connection, options, payloads);
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        SubscriberSession? session = null;
        using (var first = new CancellationTokenSource(Patience))
        {
            await using IAsyncEnumerator<IReceivedMessage> reader = subscriber.ReadAllAsync(s => session = s, first.Token).GetAsyncEnumerator(first.Token);
            for (int i = 0; i < payloads.Length; i++)
            {
                Assert.True(await reader.MoveNextAsync());
            }
        }

        Assert.Equal(payloads.Length, session!.Leases.Released);
        var again = new HashSet<string>();
        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(second.Token))
            {
                again.Add(Text(message));
                await message.AckAsync(CancellationToken.None);
                if (again.Count == payloads.Length)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (second.IsCancellationRequested)
        {
            Assert.Fail($"Only {again.Count} of the {payloads.Length} handed back messages came back within 20 s of the stop (ack deadline 60 s).");
        }

        Assert.Equal(payloads.Order(StringComparer.Ordinal), again.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenAnOutstandingLimitOf100_WhenNothingIsAcknowledged_ThenTheReaderStopsNearTheLimitAndGoesOnAfterAcks()
    {
        var (connection, options) = await CreateAsync(o =>
        {
            o.Streams = 1;
            o.MaxOutstandingMessages = 100;
        });
        await PublishAsync(connection, options, Enumerable.Range(0, 1000).Select(i => "m" + i));
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var received = new List<IReceivedMessage>();
        var reading = Task.Run(async () =>
        {
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(stop.Token))
            {
                lock (received)
                {
                    received.Add(message);
                }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        IReceivedMessage[] held;
        lock (received)
        {
            held = [.. received];
        }

        // One response may overshoot the limit: the emulator sends at most 100 messages a response.
        Assert.InRange(held.Length, 100, 200);
        foreach (IReceivedMessage message in held)
        {
            await message.AckAsync(CancellationToken.None);
        }

        DateTime giveUp = DateTime.UtcNow + Patience;
        while (true)
        {
            lock (received)
            {
                if (received.Count > held.Length)
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < giveUp, "no more messages after the acks");
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    [Fact]
    public async Task GivenTimestampAndIdAttributes_WhenAPlayIsPublishedAndRead_ThenItsPlayedAtAndEventIdComeAsOverrides()
    {
        var (connection, options) = await CreateAsync(o =>
        {
            o.TimestampAttribute = "ts";
            o.IdAttribute = "id";
        });
        await PublishAsync(connection, options, ["{\"eventId\":\"e-42\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}"]);
        using var stop = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = connection.CreateSubscriber(options.Subscription, options.Topic).ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await reader.MoveNextAsync());

        PlayOverrides overrides = reader.Current.Overrides;
        Assert.Equal(1_795_701_802_431, overrides.PlayedAtMs);
        Assert.False(overrides.InvalidPlayedAt);
        Assert.Equal("e-42", Encoding.UTF8.GetString(overrides.EventId.Span));
        Assert.Equal("pubsub:" + options.Subscription, reader.Current.Source);
        await reader.Current.AckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task GivenASubscriptionThatDoesNotExist_WhenReadWithoutCreateMissing_ThenTheReadFailsNamingIt()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("missing"), o => o.CreateMissing = false);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        using var stop = new CancellationTokenSource(Patience);

        var e = await Assert.ThrowsAsync<PubSubException>(async () =>
        {
            await foreach (IReceivedMessage message in connection.CreateSubscriber(options.Subscription, options.Topic).ReadAllAsync(stop.Token))
            {
                Assert.Fail("read a message from a missing subscription");
            }
        });

        Assert.StartsWith($"StreamingPull on projects/lt-test/subscriptions/{options.Subscription} failed: NotFound", e.Message, StringComparison.Ordinal);
    }
}
