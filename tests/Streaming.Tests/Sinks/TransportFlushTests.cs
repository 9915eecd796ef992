using System.Collections.Concurrent;
using ListeningTogether.Streaming.Sinks;
using ListeningTogether.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Streaming.Tests.Sinks;

/// <summary>
/// A flush held by a transport that retries by itself (DESIGN.md "Failure, exit codes and readiness"): while the
/// transport says its sends do not get through, the waiter hears of it every poll and may give up; a transport that
/// is only slow, or cannot tell, is simply waited for.
/// </summary>
public sealed class TransportFlushTests
{
    private const string Down = "Pub/Sub topic 'projects/p/topics/shard-0': Unavailable (down)";

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task GivenAFlushHeldByAnUnavailableTransport_ThenTheWaiterHearsOfItEveryPollUntilTheFlushEnds()
    {
        var publisher = new HeldPublisher { Problem = Down };
        var heard = new ConcurrentQueue<string>();

        ValueTask flush = TransportFlush.FlushAsync(publisher, _clock, heard.Enqueue, CancellationToken.None);
        await AdvanceUntilAsync(() => heard.Count >= 3);
        publisher.Problem = null;
        publisher.Release();
        await flush;

        Assert.All(heard, problem => Assert.Equal(Down, problem));
    }

    [Fact]
    public async Task GivenAWriteRetriedAsAWhole_WhenItsFlushIsHeldByAnUnavailableTransport_ThenItFailsNamingTheProblemAfterAPoll()
    {
        var publisher = new HeldPublisher { Problem = Down };

        Task flush = TransportFlush.FlushOrThrowAsync(publisher, _clock, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => flush.IsCompleted);

        var e = await Assert.ThrowsAsync<TransportUnavailableException>(() => flush);
        Assert.Equal(Down, e.Message);
    }

    [Fact]
    public async Task GivenASlowTransportThatGetsThrough_ThenTheFlushIsWaitedForWithoutComplaint()
    {
        var publisher = new HeldPublisher();
        var heard = new ConcurrentQueue<string>();

        ValueTask flush = TransportFlush.FlushAsync(publisher, _clock, heard.Enqueue, CancellationToken.None);
        for (int i = 0; i < 5; i++)
        {
            await Task.Delay(10);
            _clock.Advance(TransportFlush.Poll);
        }

        publisher.Release();
        await flush;

        Assert.Empty(heard);
    }

    [Fact]
    public async Task GivenPublishesHeldByAnUnavailableTransport_WhenWaitedForAsAWhole_ThenTheWaitFailsNamingTheProblem()
    {
        var publisher = new HeldPublisher { Problem = Down };

        Task wait = TransportFlush.WaitOrThrowAsync(publisher, publisher.Held, _clock, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => wait.IsCompleted);

        var e = await Assert.ThrowsAsync<TransportUnavailableException>(() => wait);
        Assert.Equal(Down, e.Message);
    }

    [Fact]
    public async Task GivenAStop_WhileAFlushIsHeld_ThenTheWaitEndsCancelled()
    {
        var publisher = new HeldPublisher { Problem = Down };
        using var stop = new CancellationTokenSource();

        Task flush = TransportFlush.FlushAsync(publisher, _clock, _ => { }, stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            // The waiter sets its poll timer after each look: give it the moment to, then let the poll pass.
            await Task.Delay(10);
            _clock.Advance(TransportFlush.Poll);
        }

        Assert.True(condition(), "not within 500 polls");
    }
}
