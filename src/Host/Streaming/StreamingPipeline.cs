using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// The streaming pipeline loop: source -> classify -> event-time windows -> co-plays -> sinks. A message is
/// acknowledged once it is counted when ineligible or late, and only after its window reached the sinks when eligible.
/// </summary>
internal sealed partial class StreamingPipeline : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly IPlaySource _source;
    private readonly GeoDatabases _geo;
    private readonly PipelineOptions _options;
    private readonly IReadOnlyList<ICoPlaySink> _results;
    private readonly IReadOnlyList<ICoPlayViewerSink> _viewers;
    private readonly IDeadLetterSink? _deadLetters;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<StreamingPipeline> _logger;
    private readonly List<EmittedWindow> _emitted = [];

    public StreamingPipeline(
        IPlaySource source,
        GeoDatabases geo,
        IOptions<PipelineOptions> options,
        IEnumerable<ICoPlaySink> results,
        IEnumerable<ICoPlayViewerSink> viewers,
        PipelineCounters counters,
        TimeProvider clock,
        ILogger<StreamingPipeline> logger,
        IDeadLetterSink? deadLetters = null)
    {
        _source = source;
        _geo = geo;
        _options = options.Value;
        _results = [.. results];
        _viewers = [.. viewers];
        _deadLetters = deadLetters;
        _counters = counters;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Completed when the loop has started reading.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var classifier = new PlayClassifier(_geo.Cities, _geo.AnonymousIps, _options.MaxAccuracyRadiusKm);
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
                    }

                    hasNext = await pending.ConfigureAwait(false);
                }

                if (!hasNext)
                {
                    break;
                }

                await HandleAsync(messages.Current, classifier, engine, stoppingToken).ConfigureAwait(false);
                if ((++handled & 0xFF) == 0)
                {
                    // Under steady load the source is never empty: emit ready windows every few hundred messages too.
                    await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
                }
            }

            engine.FlushAll(_emitted);
            await EmitAsync(engine, selection, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: open windows stay unacknowledged and come back from the transport.
        }
    }

    private async ValueTask HandleAsync(IReceivedMessage message, PlayClassifier classifier, StreamingCoPlayEngine engine, CancellationToken cancellationToken)
    {
        IneligibleReason reason = classifier.Classify(message.Payload.Span, out PlayFields fields, out GeoPoint? point, out _);
        PlayOverrides overrides = message.Overrides;
        if (reason == IneligibleReason.None && !overrides.IsEmpty)
        {
            reason = PlayOverriding.Apply(ref fields, overrides);
        }

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

        await message.AckAsync(cancellationToken).ConfigureAwait(false);
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

            foreach (object ack in window.Acks)
            {
                await ((IReceivedMessage)ack).AckAsync(cancellationToken).ConfigureAwait(false);
            }

            _counters.Emitted(window.CoPlays.Count);
        }

        _emitted.Clear();
        _counters.Engine(engine.WatermarkMs, engine.OpenWindows);
    }

    [LoggerMessage(1, LogLevel.Information, "Streaming pipeline started: {WindowMs} ms windows, {AllowedLatenessMs} ms allowed lateness, pairs at least {MinDistanceKm} km apart")]
    private static partial void LogStarted(ILogger logger, int windowMs, int allowedLatenessMs, double minDistanceKm);
}
