using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A subscriber says whether it can be read (DESIGN.md "Failure, exit codes and readiness": <c>/readyz</c> fails
/// while the source cannot be read): not while its streams cannot reach the service, again once they receive or
/// stay open.
/// </summary>
public sealed class SubscriberReadinessTests
{
    [Fact]
    public async Task GivenNoServiceAtTheAddress_WhenTheSubscriberReads_ThenItSaysItCannotBeReadNamingTheSubscription()
    {
        PubSubTransportOptions options = PubSubEmulatorFixture.OptionsWithNoService();
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        using var stop = new CancellationTokenSource();
        Task reading = ReadAsync(subscriber, stop.Token);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (((ISourceStatus)subscriber).Problem?.Contains("Unavailable", StringComparison.Ordinal) != true && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        string? problem = ((ISourceStatus)subscriber).Problem;
        await stop.CancelAsync();
        await reading;
        Assert.NotNull(problem);
        Assert.StartsWith("Pub/Sub subscription 'projects/lt-test/subscriptions/pipeline': Unavailable", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenASubscriberNoOneHasReadYet_ThenItSaysItCannotBeReadYet()
    {
        PubSubTransportOptions options = PubSubEmulatorFixture.OptionsWithNoService();
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);

        Assert.Equal("Pub/Sub subscription 'projects/lt-test/subscriptions/pipeline': not read yet", ((ISourceStatus)subscriber).Problem);
    }

    [Fact]
    public void GivenAFailedStream_WhenItIsOpenedAgainAndStaysOpen_ThenTheProblemClearsOnlyAfterItStayedOpenOrReceived()
    {
        var clock = new FakeTimeProvider();
        var health = new StreamHealth(clock);

        health.Failed(0, "down");
        health.Failed(1, "down too");
        health.Opened(0);
        clock.Advance(TimeSpan.FromSeconds(2));
        string? early = health.Problem;
        clock.Advance(StreamHealth.OpenLongEnough);
        string? stream1Still = health.Problem;
        health.Received(1);

        Assert.Equal("down", early);
        Assert.Equal("down too", stream1Still);
        Assert.Null(health.Problem);
    }

    private static async Task ReadAsync(PubSubSubscriber subscriber, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(cancellationToken))
            {
                Assert.Fail("read a message with no service");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }
}
