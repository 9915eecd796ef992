using Grpc.Core;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>Which gRPC failures are retried, and how the backoff between tries grows.</summary>
public sealed class RetryTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true, true)]
    [InlineData(StatusCode.DeadlineExceeded, true, true)]
    [InlineData(StatusCode.ResourceExhausted, true, true)]
    [InlineData(StatusCode.Aborted, true, true)]
    [InlineData(StatusCode.Internal, true, true)]
    [InlineData(StatusCode.Cancelled, true, true)]
    [InlineData(StatusCode.Unknown, true, true)]
    [InlineData(StatusCode.OK, false, true)]
    [InlineData(StatusCode.NotFound, false, false)]
    [InlineData(StatusCode.PermissionDenied, false, false)]
    [InlineData(StatusCode.InvalidArgument, false, false)]
    [InlineData(StatusCode.Unauthenticated, false, false)]
    public void GivenAStatus_WhenJudged_ThenOnlyTransientOnesAreRetried(StatusCode code, bool unary, bool streamingPull)
    {
        Assert.Equal(unary, TransientStatus.IsTransient(code));
        Assert.Equal(streamingPull, TransientStatus.IsTransientForStream(code));
    }

    [Fact]
    public void GivenRepeatedFailures_WhenBackingOff_ThenEachDelayIsWithinItsDoublingCeilingUpToTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeProvider.System);
        double[] ceilings = [100, 200, 400, 800, 1000, 1000];

        foreach (double ceiling in ceilings)
        {
            Assert.InRange(backoff.Next().TotalMilliseconds, ceiling / 2, ceiling);
        }

        Assert.Equal(6, backoff.Failures);
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public async Task GivenACallThatFailsTwiceWithUnavailable_WhenRunWithRetries_ThenTheThirdTrySucceedsAfterTwoRetries()
    {
        int tries = 0;
        var retries = new List<StatusCode>();

        int result = await RetryingCall.RunAsync(
            _ => ++tries < 3 ? throw new RpcException(new Status(StatusCode.Unavailable, "down")) : Task.FromResult(42),
            TimeProvider.System,
            (e, _, _) => retries.Add(e.StatusCode),
            CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal([StatusCode.Unavailable, StatusCode.Unavailable], retries);
    }

    [Fact]
    public async Task GivenACallThatFailsWithNotFound_WhenRunWithRetries_ThenItFailsAtOnce()
    {
        int tries = 0;

        var e = await Assert.ThrowsAsync<RpcException>(() => RetryingCall.RunAsync<int>(
            _ =>
            {
                tries++;
                throw new RpcException(new Status(StatusCode.NotFound, "no such topic"));
            },
            TimeProvider.System,
            null,
            CancellationToken.None));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal(1, tries);
    }
}
