using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Streaming;

/// <summary>
/// The streaming pipeline loop, one message at a time:
/// <list type="number">
/// <item>decode, eligible, geolocate: the <see cref="IPlayReader"/>, with a transport's event time and id in place (<c>HandleAsync</c>);</item>
/// <item>window: <see cref="StreamingCoPlayEngine{TAck}.Add(ReadOnlySpan{byte}, ReadOnlySpan{byte}, long, GeoPoint, TAck)"/>,
/// where from the <see cref="WindowAssigner"/>, when from the <see cref="Watermark"/>;</item>
/// <item>match: <see cref="StreamingCoPlayEngine{TAck}.EmitReady"/> once the watermark passes a window (<c>EmitAsync</c>);</item>
/// <item>sinks: every co-play to the results sinks, then select (<see cref="ViewerSelection"/>) for the viewers.</item>
/// </list>
/// A message is acknowledged once it is counted when ineligible or late, and only after its window reached the sinks
/// when eligible. With an archive, every play with a valid playedAt is appended to it, and its message is
/// acknowledged only once the archive has it on disk as well.
/// </summary>
public sealed partial class StreamingPipeline : IStreamingStage
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly IPlaySource _source;
    private readonly IPlayReader _reader;
    private readonly PipelineOptions _options;
    private readonly IReadOnlyList<ICoPlaySink> _results;
    private readonly IReadOnlyList<ICoPlayViewerSink> _viewers;
    private readonly IReadOnlyList<IWindowProgress> _progress;
    private readonly IDeadLetterSink? _deadLetters;
    private readonly ArchiveGate _archive;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<StreamingPipeline> _logger;
    private readonly StageSupervisor _supervisor;
    private readonly List<EmittedWindow<IReceivedMessage>> _emitted = [];

    public StreamingPipeline(
        IPlaySource source,
        IPlayReader reader,
        IOptions<PipelineOptions> options,
        IEnumerable<ICoPlaySink> results,
        IEnumerable<ICoPlayViewerSink> viewers,
        PipelineCounters counters,
        TimeProvider clock,
        ILogger<StreamingPipeline> logger,
        IDeadLetterSink? deadLetters = null,
        IPlayArchive? archive = null,
        StageSupervisor? supervisor = null,
        IEnumerable<IWindowProgress>? progress = null)
    {
        _source = source;
        _reader = reader;
        _options = options.Value;
        _results = [.. results];
        _viewers = [.. viewers];
        _progress = [.. progress ?? []];
        _deadLetters = deadLetters;
        _archive = new ArchiveGate(archive, counters);
        _counters = counters;
        _clock = clock;
        _logger = logger;
        _supervisor = supervisor ?? StageSupervisor.Standalone(clock);
    }

    /// <summary>Completed when the loop has started reading.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReading => Started.Task.IsCompletedSuccessfully;

    /// <summary>Runs the loop; nothing past a failure is acknowledged, and open windows come back from the transport.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        _supervisor.RunLoopAsync("pipeline", _source, "The streaming pipeline", RunAsync, stoppingToken);

    private async Task RunAsync(LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        var windows = new WindowAssigner(_options.WindowMs);
        var watermark = new Watermark(_options.AllowedLatenessMs, _options.EffectiveIdleFlushMs, _options.MaxFutureSkewMs, _clock, _options.StartHoldMs);
        var engine = new StreamingCoPlayEngine<IReceivedMessage>(windows, watermark, new MatchingOptions(_options.MinDistanceKm));
        var selection = new ViewerSelection(_options.MaxPerSecond, _options.WindowMs);
        LogStarted(_logger, _options.WindowMs, _options.AllowedLatenessMs, _options.MinDistanceKm);
        Started.TrySetResult();

        await using var messages = new MessageStream(_source, stoppingToken);
        long handled = 0;
        while (true)
        {
            bool hasNext;
            ValueTask<bool> next = messages.MoveNextAsync();
            if (next.IsCompletedSuccessfully)
            {
                hasNext = next.Result;
            }
            else
            {
                // Nothing waiting: emit what is ready, then wait, flushing open windows if the stream goes quiet.
                Task<bool> pending = next.AsTask();
                await EmitAsync(engine, selection, heartbeat, stoppingToken).ConfigureAwait(false);
                while (await Task.WhenAny(pending, Task.Delay(Tick, _clock, stoppingToken)).ConfigureAwait(false) != pending)
                {
                    heartbeat.Beat();
                    // Windows become ready without plays too: at the idle flush, and when the start hold ends.
                    engine.FlushIfIdle(_emitted);
                    engine.EmitReady(_emitted);
                    if (_emitted.Count > 0)
                    {
                        await EmitAsync(engine, selection, heartbeat, stoppingToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await ReportProgressAsync(engine, stoppingToken).ConfigureAwait(false);
                    }

                    await _archive.AckDurableAsync(stoppingToken).ConfigureAwait(false);
                }

                hasNext = await pending.ConfigureAwait(false);
            }

            if (!hasNext)
            {
                break;
            }

            await HandleAsync(messages.Current, engine, stoppingToken).ConfigureAwait(false);
            if ((++handled & 0xFF) == 0)
            {
                // Under steady load the source is never empty: emit ready windows every few hundred messages too.
                await EmitAsync(engine, selection, heartbeat, stoppingToken).ConfigureAwait(false);
                await _archive.WaitWhileBackloggedAsync(heartbeat, _clock, stoppingToken).ConfigureAwait(false);
            }
        }

        engine.FlushAll(_emitted);
        await EmitAsync(engine, selection, heartbeat, stoppingToken).ConfigureAwait(false);
        await _archive.AckAllAsync(stoppingToken).ConfigureAwait(false);
    }

    private async ValueTask HandleAsync(IReceivedMessage message, StreamingCoPlayEngine<IReceivedMessage> engine, CancellationToken cancellationToken)
    {
        IneligibleReason reason = PlayOverriding.Read(_reader, message, out PlayFields fields, out GeoPoint? point);
        long archived = _archive.Append(message, fields, reason);
        if (reason == IneligibleReason.None)
        {
            reason = engine.Add(fields.TrackId, fields.EventId, fields.PlayedAtMs, point!, message);
        }

        _counters.Count(reason);
        if (reason == IneligibleReason.None)
        {
            return;
        }

        if (reason.IsDeadLettered())
        {
            if (_deadLetters is not null)
            {
                var deadLetter = new DeadLetter(reason, message.ReceivedAt, message.Source, message.Payload.ToArray());
                await _supervisor.WriteDeadLetterAsync(_deadLetters, deadLetter, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_archive.Hold(archived, message))
        {
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EmitAsync(StreamingCoPlayEngine<IReceivedMessage> engine, ViewerSelection selection, LoopHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        heartbeat.Beat();

        if (_emitted.Count == 0)
        {
            // What is done with before this emission goes out first, so that a shard's first watermark comes ahead of
            // its first co-plays (windows already taken out by an idle flush are not done with until written).
            await ReportProgressAsync(engine, cancellationToken).ConfigureAwait(false);
        }

        engine.EmitReady(_emitted);
        foreach (EmittedWindow<IReceivedMessage> window in _emitted)
        {
            foreach (ICoPlaySink sink in _results)
            {
                await sink.WriteAsync(window.CoPlays, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<CoPlay> selected = selection.Select(window.WindowStartMs, window.CoPlays);
            foreach (ICoPlayViewerSink viewer in _viewers)
            {
                await viewer.ShowAsync(selected, cancellationToken).ConfigureAwait(false);
            }

            // Every play of the window was appended before it was emitted, so the archive's position covers them.
            // Only once acknowledged is the window's ack list free for reuse: the gate hands a held one back then.
            if (!_archive.Hold(window, engine))
            {
                await ArchiveGate.AckWindowAsync(window.Acks, cancellationToken).ConfigureAwait(false);
                engine.Release(window);
            }

            _counters.Emitted(window.CoPlays.Count);
        }

        _emitted.Clear();
        await _archive.AckDurableAsync(cancellationToken).ConfigureAwait(false);
        _counters.Engine(engine.WatermarkMs, engine.OpenWindows);
        await ReportProgressAsync(engine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every window up to the watermark has reached the sinks: the match stage's shard says so on the results topic.</summary>
    private async ValueTask ReportProgressAsync(StreamingCoPlayEngine<IReceivedMessage> engine, CancellationToken cancellationToken)
    {
        foreach (IWindowProgress progress in _progress)
        {
            await progress.ReportAsync(engine.CompleteThroughMs, engine.IsIdle && engine.OpenWindows == 0, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(401, LogLevel.Information, "Streaming pipeline started: {WindowMs} ms windows, {AllowedLatenessMs} ms allowed lateness, pairs at least {MinDistanceKm} km apart")]
    private static partial void LogStarted(ILogger logger, int windowMs, int allowedLatenessMs, double minDistanceKm);
}
