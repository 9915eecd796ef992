using ListeningTogether.Host.Composition;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Host.Tests.Composition;

public sealed class TransportFailuresTests
{
    [Fact]
    public void GivenARefusedPubSubWrite_WhenJudgedWithTheHostsTransports_ThenItCannotPassAndNamesItsCause()
    {
        var failure = new PubSubException("Topic projects/p/topics/coplays does not exist.");

        Assert.True(WriteFailure.CannotPass(failure, TransportFailures.CannotPass));
        Assert.Equal("Topic projects/p/topics/coplays does not exist.", WriteFailure.Describe(failure));
    }

    [Fact]
    public void GivenATimeout_WhenJudgedWithTheHostsTransports_ThenItMayPass() =>
        Assert.False(WriteFailure.CannotPass(new TimeoutException("The operation has timed out."), TransportFailures.CannotPass));
}
