using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Sinks;

/// <summary>A results sink whose failing writes are retried by <see cref="SinkRetry"/>; its sinks are idempotent, so writing a window again is safe.</summary>
public sealed class RetryingCoPlaySink(ICoPlaySink inner, SinkTarget target, SinkRetry retry) : ICoPlaySink, IDisposable
{
    public SinkTarget Target => target;

    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken) =>
        retry.RunAsync(target, static (s, ct) => s.Sink.WriteAsync(s.CoPlays, ct), (Sink: inner, CoPlays: coPlays), cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
