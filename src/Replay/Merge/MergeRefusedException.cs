namespace ListeningTogether.Replay.Merge;

/// <summary>Replay outputs that cannot be merged into one exact result (different settings, overlapping hours); the message says which and why.</summary>
public sealed class MergeRefusedException : Exception
{
    public MergeRefusedException()
    {
    }

    public MergeRefusedException(string message)
        : base(message)
    {
    }

    public MergeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
