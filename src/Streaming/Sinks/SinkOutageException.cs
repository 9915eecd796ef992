namespace ListeningTogether.Streaming.Sinks;

/// <summary>A streaming write failed for good: its cause cannot pass, or it lasted past <c>Sinks:MaxOutageSeconds</c>.</summary>
public sealed class SinkOutageException(SinkTarget target, string cause, Exception failure)
    : Exception($"{target}: {cause}", failure)
{
    public SinkTarget Target { get; } = target;
}
