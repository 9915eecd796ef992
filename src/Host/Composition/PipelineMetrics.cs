using System.Diagnostics.Metrics;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// The pipeline's OpenTelemetry instruments (meter <c>ListeningTogether</c>): plays by outcome and reason, archived plays, co-plays,
/// windows, watermark delay, open windows, the event-to-push latency, failed writes and readiness by part, and the
/// archive's lag. Labels never carry user ids or addresses.
/// </summary>
internal sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "ListeningTogether";

    private readonly Meter _meter;
    private readonly Histogram<double> _pushLatency;
    private readonly Counter<long> _pushed;

    public PipelineMetrics(
        IMeterFactory meters,
        PipelineCounters counters,
        ComponentHealth health,
        TimeProvider clock,
        ParquetArchiveSink? archive = null)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableCounter("lt.plays", () => PlayMeasurements(counters), "{play}", "Records received, by outcome and reason");
        _meter.CreateObservableCounter("lt.coplays", () => counters.CoPlays, "{coplay}", "Co-plays emitted");
        _meter.CreateObservableCounter(
            "lt.plays.archived",
            () => archive?.DurablePosition ?? counters.ArchivedPlays,
            "{play}",
            "Plays on disk in the Parquet archive");
        _meter.CreateObservableGauge(
            "lt.archive.lag",
            () => archive?.OldestPendingReceivedAtMs is long oldest ? Math.Max(0, clock.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0 : 0.0,
            "s",
            "Age of the oldest play not yet on disk in the archive");
        _meter.CreateObservableCounter("lt.sink.failures", () => SinkFailures(health), "{failure}", "Failed writes of the sinks, the archive and publishing, by sink");
        _meter.CreateObservableGauge("lt.ready", () => Readiness(health), "", "1 while the part (component) can do its work, 0 while it cannot");
        _meter.CreateObservableCounter("lt.windows.emitted", () => counters.Windows, "{window}", "Windows emitted");
        _meter.CreateObservableCounter(
            "lt.windows.shown_incomplete",
            () => counters.WindowsShownIncomplete,
            "{window}",
            "Windows a site showed after its completeness timeout, without every match shard");
        _meter.CreateObservableCounter("lt.coplays.late_at_site", () => counters.CoPlaysLateAtSite, "{coplay}", "Co-plays a site received for a window it had already shown (never shown)");
        _meter.CreateObservableGauge("lt.windows.open", () => counters.OpenWindows, "{window}", "Windows waiting for the watermark");
        _meter.CreateObservableGauge(
            "lt.watermark.delay",
            () => counters.WatermarkMs is long w ? (clock.GetUtcNow().ToUnixTimeMilliseconds() - w) / 1000.0 : 0.0,
            "s",
            "Processing time minus the event-time watermark");
        _pushed = _meter.CreateCounter<long>("lt.coplays.pushed", "{coplay}", "Co-plays pushed to viewers");
        _pushLatency = _meter.CreateHistogram(
            "lt.push.latency",
            "s",
            "From the start of a co-play's window (its earliest possible play) to its push to viewers",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 7.5, 10, 30] });
    }

    public void Pushed(IReadOnlyList<CoPlay> coPlays, long nowMs)
    {
        _pushed.Add(coPlays.Count);
        foreach (CoPlay coPlay in coPlays)
        {
            _pushLatency.Record((nowMs - coPlay.WindowStartMs) / 1000.0);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> PlayMeasurements(PipelineCounters counters)
    {
        yield return new Measurement<long>(counters.Eligible, new KeyValuePair<string, object?>("outcome", "eligible"));
        foreach (IneligibleReason reason in IneligibleReasons.All)
        {
            yield return new Measurement<long>(
                counters[reason],
                new KeyValuePair<string, object?>("outcome", "ineligible"),
                new KeyValuePair<string, object?>("reason", reason.Code()));
        }
    }

    private static IEnumerable<Measurement<long>> SinkFailures(ComponentHealth health) =>
        health.Snapshot()
            .Where(c => c.Component != StreamingComponent.Source && c.Component != StreamingComponent.Push)
            .Select(c => new Measurement<long>(c.Failures, new KeyValuePair<string, object?>("sink", c.Component)));

    private static IEnumerable<Measurement<int>> Readiness(ComponentHealth health) =>
        health.Snapshot().Select(c => new Measurement<int>(c.IsReady ? 1 : 0, new KeyValuePair<string, object?>("component", c.Component)));
}
