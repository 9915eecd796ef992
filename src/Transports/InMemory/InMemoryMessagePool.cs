using System.Collections.Concurrent;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// Acknowledged messages, kept for the next publishes. An eligible play's message waits for its window (seconds)
/// before it is acknowledged: long enough for a fresh object per message to be promoted through the younger GC
/// generations and die in the oldest one, which made every collection slow. Reused messages stay out of that churn.
/// </summary>
internal sealed class InMemoryMessagePool(int maxPooled)
{
    private readonly ConcurrentQueue<InMemoryMessage> _free = new();
    private int _pooled;

    public bool TryTake(out InMemoryMessage? message)
    {
        if (_free.TryDequeue(out message))
        {
            Interlocked.Decrement(ref _pooled);
            return true;
        }

        return false;
    }

    public void Return(InMemoryMessage message)
    {
        if (Interlocked.Increment(ref _pooled) > maxPooled)
        {
            Interlocked.Decrement(ref _pooled);
            return;
        }

        _free.Enqueue(message);
    }
}
