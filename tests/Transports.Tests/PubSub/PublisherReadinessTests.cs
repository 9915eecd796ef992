using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A publisher says whether its sends get through (DESIGN.md "Failure, exit codes and readiness": a failing
/// transport publish makes the process unready and counts toward the outage limit): not while the service is
/// away, naming the topic.
/// </summary>
public sealed class PublisherReadinessTests
{
    [Fact]
    public async Task GivenNoServiceAtTheAddress_WhenAPlayIsPublished_ThenThePublisherSaysItsSendsDoNotGetThroughNamingTheTopic()
    {
        PubSubTransportOptions options = PubSubEmulatorFixture.OptionsWithNoService();
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        var publisher = connection.CreatePublisher(options.Topic);
        string? before = ((IPublisherStatus)publisher).Problem;

        await publisher.PublishAsync(Encoding.UTF8.GetBytes("{}"), CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (publisher.Problem is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        string? problem = publisher.Problem;
        Assert.Null(before);
        Assert.NotNull(problem);
        Assert.StartsWith("Pub/Sub topic 'projects/lt-test/topics/plays': Unavailable (", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenNoServiceAtTheAddress_WhenAPlayIsRepartitioned_ThenTheShardedPublisherSaysItsSendsDoNotGetThroughNamingTheShardTopic()
    {
        PubSubTransportOptions options = PubSubEmulatorFixture.OptionsWithNoService();
        options.ShardCount = 3;
        using PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        IKeyedPublisher publisher = new PubSubScaleOut(connection, options, _ => null).OpenRepartitionPublisher();
        var status = (IPublisherStatus)publisher;
        string? before = status.Problem;

        await publisher.PublishAsync("spotify:track:together", Encoding.UTF8.GetBytes("{}"), CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (status.Problem is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        Assert.Null(before);
        Assert.Matches(@"^Pub/Sub topic 'projects/lt-test/topics/[^']+-shard-[0-2]': Unavailable \(", status.Problem);
    }
}
