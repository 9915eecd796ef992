using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Health;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// The streaming pipeline loop: source -> classify -> event-time windows -> co-plays -> sinks. A message is
/// acknowledged once it is counted when ineligible or late, and only after its window reached the sinks when eligible.
/// With an archive, every play with a valid playedAt is appended to it, and its message is acknowledged only once
/// the archive has it on disk as well.
/// </summary>
internal sealed partial class StreamingPipeline : BackgroundService, IStageStatus
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly IPlaySource _source;
    private readonly IPlayReader _reader;
    private readonly PipelineOptions _options;
    private readonly IReadOnlyList<ICoPlaySink> _results;
    private readonly IReadOnlyList<ICoPlayViewerSink> _viewers;
    private readonly IDeadLetterSink? _deadLetters;
    private readonly ArchiveGate _archive;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<StreamingPipeline> _logger;
    private readonly StageSupervisor _supervisor;
    private readonly List<EmittedWindow> _emitted = [];

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
        StageSupervisor? supervisor = null)
    {
        _source = source;
        _reader = reader;
        _options = options.Value;
        _results = [.. results];
        _viewers = [.. viewers];
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LoopHeartbeat heartbeat = _supervisor.StartLoop("pipeline", _source);
        try
        {
            await RunAsync(heartbeat, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: open windows stay unacknowledged and come back from the transport.
        }
        catch (Exception e)
        {
            // Nothing past the failure is acknowledged: what was not comes back from the transport.
            _supervisor.Fail("The streaming pipeline", e);
        }
        finally
        {
            heartbeat.End();
        }
    }

    private async Task RunAsync(LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        var engine = new StreamingCoPlayEngine(
            new WindowAssigner(_options.WindowMs),
            _options.AllowedLatenessMs,
            _options.EffectiveIdleFlushMs,
            _options.MaxFutureSkewMs,
            new MatchingOptions(_options.MinDistanceKm),
            _clock,
            startHoldMs: _options.StartHoldMs);
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

    private async ValueTask HandleAsync(IReceivedMessage message, StreamingCoPlayEngine engine, CancellationToken cancellationToken)
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

    private async ValueTask EmitAsync(StreamingCoPlayEngine engine, ViewerSelection selection, LoopHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        heartbeat.Beat();
        engine.EmitReady(_emitted);
        foreach (EmittedWindow window in _emitted)
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
    }

    [LoggerMessage(401, LogLevel.Information, "Streaming pipeline started: {WindowMs} ms windows, {AllowedLatenessMs} ms allowed lateness, pairs at least {MinDistanceKm} km apart")]
    private static partial void LogStarted(ILogger logger, int windowMs, int allowedLatenessMs, double minDistanceKm);
}
