using System.Diagnostics;
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
    public async Task GivenAMessageReadButNeverAcknowledged_WhenTheReaderStops_ThenANewReaderGetsItAfterTheAckDeadline()
    {
        var (connection, options) = await CreateAsync();
        await PublishAsync(connection, options, ["unacked"]);
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        using (var first = new CancellationTokenSource(Patience))
        {
            await using IAsyncEnumerator<IReceivedMessage> reader = subscriber.ReadAllAsync(first.Token).GetAsyncEnumerator(first.Token);
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal("unacked", Text(reader.Current));
        }

        // Generous: on a busy machine the emulator has been seen to take over a minute to hand an expired message out again.
        var stopped = Stopwatch.StartNew();
        using var second = new CancellationTokenSource(5 * Patience);
        await using IAsyncEnumerator<IReceivedMessage> again = subscriber.ReadAllAsync(second.Token).GetAsyncEnumerator(second.Token);
        Assert.True(await again.MoveNextAsync());

        Assert.Equal("unacked", Text(again.Current));
        Assert.True(stopped.Elapsed > TimeSpan.FromSeconds(3), $"came back after {stopped.Elapsed}, before its ack deadline");
        await again.Current.AckAsync(CancellationToken.None);
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
