namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Client-side flow control: counts received but unacknowledged messages and bytes; streams stop reading while
/// either is at its limit and go on once acks bring both below it. A response may overshoot the limit by its size.
/// </summary>
internal sealed class FlowGate(long maxMessages, long maxBytes)
{
    private readonly Lock _lock = new();
    private long _messages;
    private long _bytes;
    private TaskCompletionSource? _room;

    public long OutstandingMessages
    {
        get
        {
            lock (_lock)
            {
                return _messages;
            }
        }
    }

    public long OutstandingBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public void Reserve(int messages, long bytes)
    {
        lock (_lock)
        {
            _messages += messages;
            _bytes += bytes;
        }
    }

    public void Release(long bytes)
    {
        TaskCompletionSource? wake = null;
        lock (_lock)
        {
            _messages--;
            _bytes -= bytes;
            if (_room is not null && HasRoom)
            {
                wake = _room;
                _room = null;
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>Completes at once when below both limits, else once acks bring it there.</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            if (HasRoom)
            {
                return ValueTask.CompletedTask;
            }

            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _room.Task;
        }

        return new ValueTask(wait.WaitAsync(cancellationToken));
    }

    private bool HasRoom => _messages < maxMessages && _bytes < maxBytes;
}
