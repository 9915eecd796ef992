using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// The rules that carry a reader and a publisher through a service that lost their subscription and topic: one
/// creation for all who saw the loss, no acks for messages of the lost subscription (not even from a call
/// already waiting to be retried), and a publisher that counts as reaching the service only once every held-up
/// batch went out.
/// </summary>
public sealed class SubscriptionLifeTests
{
    private const string Subscription = "projects/lt-test/subscriptions/pipeline";

    [Fact]
    public async Task GivenSeveralCallersThatSawTheSameLoss_WhenTheyEnsureAgain_ThenTheResourcesAreCreatedOnceMore()
    {
        int creations = 0;
        var resources = new MissingResources(_ =>
        {
            Interlocked.Increment(ref creations);
            return Task.CompletedTask;
        });
        Task first = resources.EnsureAsync(CancellationToken.None);
        await first;

        bool[] lost = [resources.Lost(first), resources.Lost(first), resources.Lost(first)];
        Task again = resources.EnsureAsync(CancellationToken.None);
        Task shared = resources.EnsureAsync(CancellationToken.None);
        await again;
        bool staleLoss = resources.Lost(first);

        Assert.Equal([true, false, false], lost);
        Assert.Same(again, shared);
        Assert.False(staleLoss);
        Assert.Equal(2, creations);
    }

    [Fact]
    public async Task GivenNoCreateMissing_WhenALossIsReported_ThenNothingIsCreated()
    {
        Task ensured = MissingResources.None.EnsureAsync(CancellationToken.None);
        await ensured;

        Assert.False(MissingResources.None.CanCreate);
        Assert.False(MissingResources.None.Lost(ensured));
    }

    [Fact]
    public async Task GivenAcksQueuedInTwoLivesOfTheSubscription_WhenSent_ThenOnlyThoseOfTheCurrentLifeGoOut()
    {
        var generation = new SubscriptionGeneration();
        var client = new RecordingSubscriber();
        using var acks = new AckSender(client, Subscription, generation, TimeProvider.System, NullLogger.Instance);
        acks.Enqueue("old-1", generation.Current);
        acks.Enqueue("old-2", generation.Current);
        generation.Advance();
        acks.Enqueue("new-1", generation.Current);

        await acks.SendQueuedAsync(CancellationToken.None);

        Assert.Equal([["new-1"]], client.Acknowledged);
        Assert.Equal((1L, 2L), (acks.Sent, acks.Dropped));
    }

    [Fact]
    public async Task GivenAnAckCallRetryingThroughAnOutage_WhenTheSubscriptionIsCreatedAnewMeanwhile_ThenTheRetryIsDroppedNotSent()
    {
        var generation = new SubscriptionGeneration();
        var client = new RecordingSubscriber
        {
            // The service is away on the first try, and comes back with a new subscription.
            Failure = () =>
            {
                generation.Advance();
                return new RpcException(new Status(StatusCode.Unavailable, "down"));
            },
        };
        using var acks = new AckSender(client, Subscription, generation, TimeProvider.System, NullLogger.Instance);
        acks.Enqueue("held-1", generation.Current);
        acks.Enqueue("held-2", generation.Current);

        await acks.SendQueuedAsync(CancellationToken.None);

        Assert.Equal(1, client.Calls);
        Assert.Empty(client.Acknowledged);
        Assert.Equal((0L, 2L), (acks.Sent, acks.Dropped));
    }

    [Fact]
    public async Task GivenAnAckCallCutByTheStop_WhenSending_ThenSendingEndsAndTheIdsGoOutInTheFinalSend()
    {
        var generation = new SubscriptionGeneration();
        using var stop = new CancellationTokenSource();
        var client = new RecordingSubscriber
        {
            Failure = () =>
            {
                stop.Cancel();
                return new RpcException(new Status(StatusCode.Cancelled, "cut by the stop"));
            },
        };
        using var acks = new AckSender(client, Subscription, generation, TimeProvider.System, NullLogger.Instance);
        acks.Enqueue("held-1", generation.Current);
        acks.Enqueue("held-2", generation.Current);

        // On a thread of its own: before the fix the cut call's ids went back and were sent, and cut, forever.
        Task sending = Task.Run(() => acks.SendQueuedAsync(stop.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        await acks.SendQueuedAsync(CancellationToken.None);

        Assert.Equal((2, 2L, 0L), (client.Calls, acks.Sent, acks.Dropped));
        Assert.Equal([["held-1", "held-2"]], client.Acknowledged);
    }

    [Fact]
    public async Task GivenTheSubscriptionIsGone_WhenAcksAreSent_ThenTheyAreDroppedWithoutFailingAnything()
    {
        var generation = new SubscriptionGeneration();
        var client = new RecordingSubscriber { Failure = () => new RpcException(new Status(StatusCode.NotFound, "Subscription does not exist")) };
        using var acks = new AckSender(client, Subscription, generation, TimeProvider.System, NullLogger.Instance);
        acks.Enqueue("held", generation.Current);

        await acks.SendQueuedAsync(CancellationToken.None);

        Assert.Equal((1, 0L, 1L), (client.Calls, acks.Sent, acks.Dropped));
    }

    [Fact]
    public void GivenTwoLanesHeldUpByAnOutage_WhenOnlyOneSendsAgain_ThenThePublisherStillHasAProblemUntilBothDid()
    {
        var health = new PublishHealth();

        health.Failed(0, "Pub/Sub topic 'projects/lt-test/topics/plays': Unavailable (lane 0)");
        health.Failed(1, "Pub/Sub topic 'projects/lt-test/topics/plays': Unavailable (lane 1)");
        health.Succeeded(0);
        string? oneLeft = health.Problem;
        health.Succeeded(1);

        Assert.Equal("Pub/Sub topic 'projects/lt-test/topics/plays': Unavailable (lane 1)", oneLeft);
        Assert.Null(health.Problem);
    }

    /// <summary>A subscriber client that records Acknowledge calls, failing the first one when told to, and any call made with a cancelled token.</summary>
    private sealed class RecordingSubscriber : Subscriber.SubscriberClient
    {
        public Func<RpcException>? Failure { get; init; }

        public int Calls { get; private set; }

        public List<string[]> Acknowledged { get; } = [];

        public override AsyncUnaryCall<Empty> AcknowledgeAsync(AcknowledgeRequest request, CallOptions options)
        {
            Calls++;
            Task<Empty> response;
            if (Calls == 1 && Failure is not null)
            {
                response = Task.FromException<Empty>(Failure());
            }
            else if (options.CancellationToken.IsCancellationRequested)
            {
                response = Task.FromException<Empty>(new RpcException(new Status(StatusCode.Cancelled, "call cancelled")));
            }
            else
            {
                Acknowledged.Add([.. request.AckIds]);
                response = Task.FromResult(new Empty());
            }

            return new AsyncUnaryCall<Empty>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }
}
