using System.Threading.Channels;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// Runs an action on each posted item, one at a time and in posting order, on a background task fed by a bounded
/// queue: the poster goes on while earlier items are handled, and waits only when <c>capacity</c> items are queued.
/// A failure of the action surfaces on the next <see cref="PostAsync"/> or on <see cref="CompleteAsync"/>.
/// </summary>
internal sealed class OrderedBackgroundWork<T> : IAsyncDisposable
{
    private readonly Channel<T> _queue;
    private readonly CancellationTokenSource _stop;
    private readonly Task _worker;

    public OrderedBackgroundWork(int capacity, Func<T, CancellationToken, ValueTask> action, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken stop = _stop.Token;
        _worker = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (T item in _queue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
                    {
                        await action(item, stop).ConfigureAwait(false);
                    }
                }
                catch (Exception e)
                {
                    // A poster waiting for room would otherwise wait for ever.
                    _queue.Writer.TryComplete(e);
                    throw;
                }
            },
            CancellationToken.None);
    }

    /// <summary>Queues an item, waiting while the queue is full.</summary>
    public async ValueTask PostAsync(T item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The action failed: its own exception says why.
            await _worker.ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every posted item is handled.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    /// <summary>After a failure elsewhere: stops handling items and waits for the action in progress to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_queue.Writer.TryComplete())
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already surfaced, or of no interest after the failure that got us here.
        }

        _stop.Dispose();
    }
}
