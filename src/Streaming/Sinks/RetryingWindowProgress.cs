using ListeningTogether.Streaming.Results;

namespace ListeningTogether.Streaming.Sinks;

/// <summary>A window progress report whose failing publish is retried by <see cref="SinkRetry"/>, like the co-plays before it.</summary>
public sealed class RetryingWindowProgress(IWindowProgress inner, SinkTarget target, SinkRetry retry) : IWindowProgress
{
    public ValueTask ReportAsync(long? watermarkMs, bool idle, CancellationToken cancellationToken) =>
        retry.RunAsync(target, static (s, ct) => s.Inner.ReportAsync(s.WatermarkMs, s.Idle, ct), (Inner: inner, WatermarkMs: watermarkMs, Idle: idle), cancellationToken);
}
