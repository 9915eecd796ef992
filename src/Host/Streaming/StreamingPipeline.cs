using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
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
    private readonly IPlayArchive? _archive;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<StreamingPipeline> _logger;
    private readonly List<EmittedWindow> _emitted = [];
    private readonly Queue<AwaitingArchive> _awaitingArchive = new();

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
        IPlayArchive? archive = null)
    {
        _source = source;
        _reader = reader;
        _options = options.Value;
        _results = [.. results];
        _viewers = [.. viewers];
        _deadLetters = deadLetters;
        _archive = archive;
        _counters = counters;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Completed when the loop has started reading.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReading => Started.Task.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var engine = new StreamingCoPlayEngine(
            new WindowAssigner(_options.WindowMs),
            _options.AllowedLatenessMs,
            _options.EffectiveIdleFlushMs,
            _options.MaxFutureSkewMs,
            new CoPlayMatcher(new MatchingOptions(_options.MinDistanceKm)),
            _clock);
        var selection = new ViewerSelection(_options.MaxPerSecond, _options.WindowMs);
        LogStarted(_logger, _options.WindowMs, _options.AllowedLatenessMs, _options.MinDistanceKm);
        Started.TrySetResult();

        await using IAsyncEnumerator<IReceivedMessage> messages = _source.ReadAllAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
        long handled = 0;
        try
        {
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
                    await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
                    while (await Task.WhenAny(pending, Task.Delay(Tick, _clock, stoppingToken)).ConfigureAwait(false) != pending)
                    {
                        if (engine.FlushIfIdle(_emitted))
                        {
                            await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
                        }

                        await AckArchivedAsync(stoppingToken).ConfigureAwait(false);
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
                    await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
                }
            }

            engine.FlushAll(_emitted);
            await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
            if (_archive is { } archive)
            {
                await archive.WaitDurableAsync(archive.Position, stoppingToken).ConfigureAwait(false);
                await AckArchivedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: open windows stay unacknowledged and come back from the transport.
        }
    }

    private async ValueTask HandleAsync(IReceivedMessage message, StreamingCoPlayEngine engine, CancellationToken cancellationToken)
    {
        IneligibleReason reason = _reader.Read(message.Payload.Span, out PlayFields fields, out GeoPoint? point);
        PlayOverrides overrides = message.Overrides;
        if (reason == IneligibleReason.None && !overrides.IsEmpty)
        {
            reason = PlayOverriding.Apply(ref fields, overrides);
        }

        long archived = Archive(message, fields);
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
            _deadLetters?.Write(new DeadLetter(reason, message.ReceivedAt, message.Source, message.Payload.ToArray()));
        }

        if (archived > 0 && archived > _archive!.DurablePosition)
        {
            _awaitingArchive.Enqueue(new AwaitingArchive(archived, message, null));
            return;
        }

        await message.AckAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a play with a valid playedAt to the archive (never its user id); returns its position, or 0 when not archived.</summary>
    private long Archive(IReceivedMessage message, in PlayFields fields)
    {
        if (_archive is null || !fields.HasPlayedAt)
        {
            return 0;
        }

        _counters.Archived();
        return _archive.Append(new ArchivedPlay(
            fields.EventId,
            fields.TrackId,
            fields.Ip,
            fields.PlayedAtMs,
            fields.PrivateSession,
            message.ReceivedAt.ToUnixTimeMilliseconds()));
    }

    /// <summary>Acknowledges what waited for the archive, as far as it is durable now.</summary>
    private async ValueTask AckArchivedAsync(CancellationToken cancellationToken)
    {
        long durable = _archive?.DurablePosition ?? 0;
        while (_awaitingArchive.TryPeek(out AwaitingArchive waiting) && waiting.Position <= durable)
        {
            _awaitingArchive.Dequeue();
            await AckAsync(waiting.Message, waiting.Window, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask AckAsync(IReceivedMessage? message, IReadOnlyList<object>? window, CancellationToken cancellationToken)
    {
        if (message is not null)
        {
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (object ack in window ?? [])
        {
            await ((IReceivedMessage)ack).AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EmitAsync(StreamingCoPlayEngine engine, ViewerSelection selection, CancellationToken cancellationToken)
    {
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
            if (_archive is { } archive && archive.Position > archive.DurablePosition)
            {
                _awaitingArchive.Enqueue(new AwaitingArchive(archive.Position, null, window.Acks));
            }
            else
            {
                await AckAsync(null, window.Acks, cancellationToken).ConfigureAwait(false);
                // Only now is the window's ack list free for reuse; one waiting for the archive is not.
                engine.Release(window);
            }

            _counters.Emitted(window.CoPlays.Count);
        }

        _emitted.Clear();
        await AckArchivedAsync(cancellationToken).ConfigureAwait(false);
        _counters.Engine(engine.WatermarkMs, engine.OpenWindows);
    }

    /// <summary>A message (or an emitted window's messages) to acknowledge once the archive is durable up to <see cref="Position"/>.</summary>
    private readonly record struct AwaitingArchive(long Position, IReceivedMessage? Message, IReadOnlyList<object>? Window);

    [LoggerMessage(1, LogLevel.Information, "Streaming pipeline started: {WindowMs} ms windows, {AllowedLatenessMs} ms allowed lateness, pairs at least {MinDistanceKm} km apart")]
    private static partial void LogStarted(ILogger logger, int windowMs, int allowedLatenessMs, double minDistanceKm);
}
