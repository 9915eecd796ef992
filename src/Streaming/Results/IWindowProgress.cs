namespace ListeningTogether.Streaming.Results;

/// <summary>
/// Told where a stage's windows stand, after each emission and on each quiet tick: every window ending at or before
/// the watermark has been emitted to the sinks. The match stage publishes its shard's watermarks from it.
/// </summary>
public interface IWindowProgress
{
    /// <param name="watermarkMs">How far every window is done with (see <c>StreamingCoPlayEngine.CompleteThroughMs</c>), null before the first play.</param>
    /// <param name="idle">Whether no play came for the idle-flush time (the open windows were flushed).</param>
    ValueTask ReportAsync(long? watermarkMs, bool idle, CancellationToken cancellationToken);
}
