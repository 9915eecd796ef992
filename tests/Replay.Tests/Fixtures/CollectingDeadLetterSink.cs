using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Keeps the dead letters a replay writes (from any worker).</summary>
public sealed class CollectingDeadLetterSink : IDeadLetterSink
{
    private readonly Lock _gate = new();
    private readonly List<DeadLetter> _entries = [];

    public IReadOnlyList<DeadLetter> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public void Write(DeadLetter deadLetter)
    {
        lock (_gate)
        {
            _entries.Add(deadLetter);
        }
    }
}
