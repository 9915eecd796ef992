using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Tests;

/// <summary>Replay's background step for Parquet rows and statistics: every item, in order, one at a time; failures surface.</summary>
public sealed class OrderedBackgroundWorkTests
{
    [Fact]
    public async Task GivenMoreItemsThanTheQueueHolds_WhenPostedAndCompleted_ThenEachIsHandledOnceInPostingOrderNeverTwoAtOnce()
    {
        var handled = new List<int>();
        int running = 0, mostAtOnce = 0;
        var work = new OrderedBackgroundWork<int>(
            capacity: 2,
            async (item, _) =>
            {
                mostAtOnce = Math.Max(mostAtOnce, Interlocked.Increment(ref running));
                await Task.Yield();
                handled.Add(item);
                Interlocked.Decrement(ref running);
            },
            CancellationToken.None);
        await using (work)
        {
            for (int i = 0; i < 100; i++)
            {
                await work.PostAsync(i, CancellationToken.None);
            }

            await work.CompleteAsync();
        }

        Assert.Equal(Enumerable.Range(0, 100), handled);
        Assert.Equal(1, mostAtOnce);
    }

    [Fact]
    public async Task GivenTheActionFails_WhenMoreIsPosted_ThenPostingThrowsTheActionsExceptionRatherThanWaitingForRoom()
    {
        var work = new OrderedBackgroundWork<int>(
            capacity: 1,
            (item, _) => item == 3 ? throw new InvalidDataException("row 3 is bad") : ValueTask.CompletedTask,
            CancellationToken.None);
        await using (work)
        {
            InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    await work.PostAsync(i, CancellationToken.None);
                }

                await work.CompleteAsync();
            });
            Assert.Equal("row 3 is bad", e.Message);
        }
    }

    [Fact]
    public async Task GivenTheLastItemFails_WhenCompleted_ThenCompletingThrowsTheActionsException()
    {
        var work = new OrderedBackgroundWork<int>(capacity: 4, (_, _) => throw new IOException("disk full"), CancellationToken.None);
        await using (work)
        {
            await work.PostAsync(1, CancellationToken.None);

            IOException e = await Assert.ThrowsAsync<IOException>(work.CompleteAsync);
            Assert.Equal("disk full", e.Message);
        }
    }

    [Fact]
    public async Task GivenItemsQueuedBehindASlowOne_WhenDisposedWithoutCompleting_ThenTheQueuedOnesAreNotHandled()
    {
        var started = new TaskCompletionSource();
        var handled = new List<int>();
        var work = new OrderedBackgroundWork<int>(
            capacity: 4,
            async (item, stop) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, stop);
                handled.Add(item);
            },
            CancellationToken.None);
        await work.PostAsync(1, CancellationToken.None);
        await work.PostAsync(2, CancellationToken.None);
        await started.Task;

        await work.DisposeAsync();

        Assert.Empty(handled);
    }
}
