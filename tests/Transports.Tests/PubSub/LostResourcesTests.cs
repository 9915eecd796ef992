using System.Diagnostics;
using System.Text;
using Grpc.Core;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A topic and subscription that the service loses while they are used, as an emulator that restarts loses
/// everything: deleted here under a running publisher or reader. With <c>CreateMissing</c> both are created again
/// and work goes on, and what was held from the old subscription is not acknowledged against the new one; without
/// it, the loss ends the reader or publisher naming what is missing.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class LostResourcesTests(PubSubEmulatorFixture emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GivenCreateMissing_WhenTheSubscriptionAndTopicVanishWhileReading_ThenTheReaderCreatesThemAgainReadsOnAndDropsTheAckOfWhatItHeld()
    {
        // A stream the emulator does not end at the deletion still sees the loss when it is replaced, well within the patience.
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), o => o.StreamLifetime = TimeSpan.FromSeconds(10));
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await PublishAsync(connection.CreatePublisher(options.Topic, options.Subscription), "before");
        SubscriberSession? session = null;
        using var stop = new CancellationTokenSource(Patience * 2);
        await using IAsyncEnumerator<IReceivedMessage> reader = connection.CreateSubscriber(options.Subscription, options.Topic)
            .ReadAllAsync(s => session = s, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await reader.MoveNextAsync());
        IReceivedMessage held = reader.Current;
        int generation = session!.Generation.Current;

        await DeleteAsync(connection, options);
        ValueTask<bool> next = reader.MoveNextAsync();
        await WaitUntilAsync(() => Task.FromResult(session.Generation.Current > generation), "the reader to create its subscription again");
        Assert.True(await ExistsAsync(connection, options));
        await held.AckAsync(CancellationToken.None);
        await PublishAsync(connection.CreateRawPublisher(options.Topic), "after");

        Assert.True(await next.AsTask().WaitAsync(Patience), "the reader ended");
        Assert.Equal("before", Text(held));
        Assert.Equal("after", Text(reader.Current));
        await reader.Current.AckAsync(CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(session.Acks.Sent + session.Acks.Dropped == 2), "both acks to be handled");
        Assert.Equal((1L, 1L), (session.Acks.Sent, session.Acks.Dropped));
        await WaitUntilAsync(() => Task.FromResult(session.Health.Problem is null), "the reader to count as reading again");
    }

    [Fact]
    public async Task GivenCreateMissing_WhenTheTopicVanishesBetweenCreatingItAndSubscribing_ThenBothAreCreatedAgainAndPlaysFlow()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"));
        using PubSubConnection admin = PubSubEmulatorFixture.Connect(options);
        // The race of a service losing everything while a reader creates it again: the topic goes just before the first CreateSubscription.
        var vanishing = new BeforeFirstCreateSubscription(cancellationToken => admin.PublisherClient.DeleteTopicAsync(new DeleteTopicRequest { Topic = admin.TopicName(options.Topic) }, cancellationToken: cancellationToken).ResponseAsync);
        using var connection = new PubSubConnection(options, TimeProvider.System, environment: _ => null, interceptor: vanishing);

        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None).WaitAsync(Patience);

        Assert.True(vanishing.Reached);
        Assert.True(await ExistsAsync(connection, options));
        await PublishAsync(connection.CreateRawPublisher(options.Topic), "after");
        Assert.Equal(["after"], await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 1));
    }

    [Fact]
    public async Task GivenNoCreateMissing_WhenTheSubscriptionVanishesWhileReading_ThenTheReadFailsNamingIt()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), o => o.CreateMissing = false);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        using var stop = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = connection.CreateSubscriber(options.Subscription, options.Topic)
            .ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        ValueTask<bool> next = reader.MoveNextAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        await DeleteAsync(connection, options);

        var e = await Assert.ThrowsAsync<PubSubException>(async () => await next);
        Assert.StartsWith($"StreamingPull on projects/lt-test/subscriptions/{options.Subscription} failed: NotFound: ", e.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(connection, options), "the subscription was created without CreateMissing");
    }

    [Fact]
    public async Task GivenCreateMissing_WhenTheTopicVanishesBetweenPublishes_ThenThePublisherCreatesTopicAndSubscriptionAgainAndSendsOn()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"));
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic, options.Subscription);
        await publisher.PublishAsync(Encoding.UTF8.GetBytes("gone with the topic"), CancellationToken.None);
        await publisher.FlushAsync(CancellationToken.None);

        await DeleteAsync(connection, options);
        await publisher.PublishAsync(Encoding.UTF8.GetBytes("after"), CancellationToken.None);
        await publisher.FlushAsync(CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.Equal(2, publisher.Published);
        Assert.Null(publisher.Problem);
        Assert.Equal(["after"], await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 1));
    }

    [Fact]
    public async Task GivenNoCreateMissing_WhenTheTopicVanishesBetweenPublishes_ThenTheFlushFailsNamingTheTopic()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), o => o.CreateMissing = false);
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        await connection.EnsureTopicAsync(options.Topic, CancellationToken.None);
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic);
        await publisher.PublishAsync(Encoding.UTF8.GetBytes("one"), CancellationToken.None);
        await publisher.FlushAsync(CancellationToken.None);

        await connection.PublisherClient.DeleteTopicAsync(new DeleteTopicRequest { Topic = connection.TopicName(options.Topic) });
        await publisher.PublishAsync(Encoding.UTF8.GetBytes("two"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<PubSubException>(async () => await publisher.FlushAsync(CancellationToken.None));

        Assert.Equal($"Publishing to projects/lt-test/topics/{options.Topic} failed: NotFound: Topic not found", e.Message);
        Assert.Equal(1, publisher.Published);
        Assert.Null(publisher.Problem);
    }

    private static string Text(IReceivedMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    private static async Task PublishAsync(PubSubPublisher publisher, string payload)
    {
        await using (publisher)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(payload), CancellationToken.None);
            await publisher.FlushAsync(CancellationToken.None);
        }
    }

    private static async Task<List<string>> ReadAsync(PubSubSubscriber subscriber, int count)
    {
        using var stop = new CancellationTokenSource(Patience);
        var read = new List<string>();
        await foreach (IReceivedMessage message in subscriber.ReadAllAsync(stop.Token))
        {
            read.Add(Text(message));
            await message.AckAsync(CancellationToken.None);
            if (read.Count == count)
            {
                break;
            }
        }

        return read;
    }

    /// <summary>What an emulator restart does to them: the subscription and its topic are gone.</summary>
    private static async Task DeleteAsync(PubSubConnection connection, PubSubTransportOptions options)
    {
        await connection.SubscriberClient.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = connection.SubscriptionName(options.Subscription) });
        await connection.PublisherClient.DeleteTopicAsync(new DeleteTopicRequest { Topic = connection.TopicName(options.Topic) });
    }

    private static async Task<bool> ExistsAsync(PubSubConnection connection, PubSubTransportOptions options)
    {
        try
        {
            await connection.SubscriberClient.GetSubscriptionAsync(new GetSubscriptionRequest { Subscription = connection.SubscriptionName(options.Subscription) });
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, $"Not within {Patience.TotalSeconds:0} s: {what}.");
            await Task.Delay(50);
        }
    }
}
