using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming;

/// <summary>
/// A transport's messages as a stage's loop reads them. Disposing it first cancels a read still waiting and lets
/// it end: an async iterator cannot be disposed while a read is in progress, and the error it throws then would
/// hide the failure that ended the loop.
/// </summary>
internal sealed class MessageStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _reading;
    private readonly IAsyncEnumerator<IReceivedMessage> _messages;
    private Task<bool>? _waiting;

    public MessageStream(IPlaySource source, CancellationToken stoppingToken)
    {
        _reading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _messages = source.ReadAllAsync(_reading.Token).GetAsyncEnumerator(_reading.Token);
    }

    public IReceivedMessage Current => _messages.Current;

    /// <summary>Moves to the next message: completed at once when one is waiting, false at the end of the stream.</summary>
    public ValueTask<bool> MoveNextAsync()
    {
        ValueTask<bool> next = _messages.MoveNextAsync();
        if (next.IsCompletedSuccessfully)
        {
            return next;
        }

        _waiting = next.AsTask();
        return new ValueTask<bool>(_waiting);
    }

    public async ValueTask DisposeAsync()
    {
        await _reading.CancelAsync().ConfigureAwait(false);
        if (_waiting is { } waiting)
        {
            await ((Task)waiting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _messages.DisposeAsync().ConfigureAwait(false);
        _reading.Dispose();
    }
}
