using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.ScaleOut;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Streaming;

/// <summary>
/// <c>run --stage ingest</c>: decodes, filters and geolocates raw plays, and republishes the eligible ones, without
/// user id or address, to the repartition topic or hub keyed by track. With an archive, every received play with a
/// valid playedAt (eligible or not) is archived too. A raw message is acknowledged once it is counted when
/// ineligible, and once its repartitioned copy is durable when eligible; with an archive, also only once its play
/// is on disk in the archive. Stateless apart from the archive's segment: replicas compete.
/// </summary>
public sealed partial class IngestStage : IStreamingStage
{
    /// <summary>Eligible plays in flight to the repartition topic before the stage waits for them.</summary>
    private const int MaxInFlight = 2000;

    /// <summary>How often an idle stage looks whether the archive flushed what its held messages wait for.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the stage waits after plays could not be republished.</summary>
    private static readonly TimeSpan PublishRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IPlaySource _source;
    private readonly IPlayReader _reader;
    private readonly IKeyedPublisher _repartition;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<IngestStage> _logger;
    private readonly IDeadLetterSink? _deadLetters;
    private readonly ArchiveGate _archive;
    private readonly bool _archiving;
    private readonly StageSupervisor _supervisor;
    private readonly OutageWatch _publishing;
    private readonly List<InFlight> _inFlight = [];

    private volatile bool _reading;

    public IngestStage(
        IPlaySource source,
        IPlayReader reader,
        IKeyedPublisher repartition,
        PipelineCounters counters,
        TimeProvider clock,
        ILogger<IngestStage> logger,
        IDeadLetterSink? deadLetters = null,
        IPlayArchive? archive = null,
        StageSupervisor? supervisor = null,
        SinkTarget? repartitionTopic = null)
    {
        _source = source;
        _reader = reader;
        _repartition = repartition;
        _counters = counters;
        _clock = clock;
        _logger = logger;
        _deadLetters = deadLetters;
        _archive = new ArchiveGate(archive, counters);
        _archiving = archive is not null;
        _supervisor = supervisor ?? StageSupervisor.Standalone(clock);
        _publishing = _supervisor.Watch(repartitionTopic ?? new SinkTarget(StreamingComponent.Publish, "Transport:Kind", "repartition"));
    }

    public bool IsReading => _reading;

    public Task RunAsync(CancellationToken stoppingToken) =>
        _supervisor.RunLoopAsync("ingest", _source, "The ingest stage", RunAsync, stoppingToken);

    private async Task RunAsync(LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        using var message = new RepartitionMessage();
        if (_archiving)
        {
            LogStartedArchiving(_logger);
        }
        else
        {
            LogStarted(_logger);
        }

        _reading = true;
        await using var messages = new MessageStream(_source, stoppingToken);
        long handled = 0;
        while (true)
        {
            heartbeat.Beat();
            ValueTask<bool> next = messages.MoveNextAsync();
            if (!next.IsCompletedSuccessfully && _inFlight.Count > 0)
            {
                // Nothing waiting: settle what is in flight rather than hold its acknowledgements.
                await SettleAsync(heartbeat, stoppingToken).ConfigureAwait(false);
            }

            if (!await WaitForArchiveAsync(next, heartbeat, stoppingToken).ConfigureAwait(false))
            {
                break;
            }

            await HandleAsync(messages.Current, message, stoppingToken).ConfigureAwait(false);
            if (_inFlight.Count >= MaxInFlight)
            {
                await SettleAsync(heartbeat, stoppingToken).ConfigureAwait(false);
            }
            else if ((++handled & 0xFF) == 0)
            {
                // Under steady load the source is never empty: acknowledge what the archive flushed every few hundred messages too.
                await _archive.AckDurableAsync(stoppingToken).ConfigureAwait(false);
                if (_archive.IsBacklogged)
                {
                    await SettleAsync(heartbeat, stoppingToken).ConfigureAwait(false);
                    await _archive.WaitWhileBackloggedAsync(heartbeat, _clock, stoppingToken).ConfigureAwait(false);
                }
            }
        }

        await SettleAsync(heartbeat, stoppingToken).ConfigureAwait(false);
        await _archive.AckAllAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next message; while none comes and messages wait for the archive, acknowledges them as it flushes.</summary>
    private async ValueTask<bool> WaitForArchiveAsync(ValueTask<bool> next, LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        if (next.IsCompleted)
        {
            return await next.ConfigureAwait(false);
        }

        if (_archive.Holding == 0)
        {
            heartbeat.Idle();
            return await next.ConfigureAwait(false);
        }

        Task<bool> pending = next.AsTask();
        // On stopping the source ends the pending read itself; the loop only stops ticking.
        while (_archive.Holding > 0
            && !stoppingToken.IsCancellationRequested
            && await Task.WhenAny(pending, Task.Delay(Tick, _clock, stoppingToken)).ConfigureAwait(false) != pending)
        {
            heartbeat.Beat();
            await _archive.AckDurableAsync(stoppingToken).ConfigureAwait(false);
        }

        return await pending.ConfigureAwait(false);
    }

    private async ValueTask HandleAsync(IReceivedMessage received, RepartitionMessage message, CancellationToken cancellationToken)
    {
        IneligibleReason reason = PlayOverriding.Read(_reader, received, out PlayFields fields, out GeoPoint? point);
        _counters.Count(reason);
        long archived = _archive.Append(received, fields, reason);
        if (reason == IneligibleReason.None)
        {
            ReadOnlyMemory<byte> payload = message.Write(fields.EventId, fields.TrackId, fields.PlayedAtMs, received.ReceivedAt, point!.Location);
            string key = Encoding.UTF8.GetString(fields.TrackId);
            _inFlight.Add(new InFlight(_repartition.PublishAsync(key, payload, cancellationToken).AsTask(), received, archived));
            return;
        }

        if (reason.IsDeadLettered())
        {
            if (_deadLetters is not null)
            {
                var deadLetter = new DeadLetter(reason, received.ReceivedAt, received.Source, received.Payload.ToArray());
                await _supervisor.WriteDeadLetterAsync(_deadLetters, deadLetter, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_archive.Hold(archived, received))
        {
            await received.AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the plays in flight to the repartition topic and acknowledges those that arrived. Those that did not
    /// stay unacknowledged and come back from the transport; a failure that cannot pass, or lasts longer than
    /// <c>Sinks:MaxOutageSeconds</c>, ends the stage. A transport that retries by itself is waited for, reading
    /// nothing, while the outage watch counts the wait as failing (<see cref="TransportFlush"/>).
    /// </summary>
    private async Task SettleAsync(LoopHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await TransportFlush.FlushAsync(_repartition, _clock, problem => WhileUnavailable(problem, heartbeat), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SinkOutageException)
        {
            failure = e;
        }

        foreach ((Task published, IReceivedMessage received, long archived) in _inFlight)
        {
            try
            {
                await published.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not acknowledged: the transport delivers the play again and it is republished (and archived again) then.
                failure ??= e;
                continue;
            }

            if (!_archive.Hold(archived, received))
            {
                await received.AckAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _inFlight.Clear();
        await _archive.AckDurableAsync(cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            _publishing.Succeeded();
            return;
        }

        if (_publishing.Failed(failure) is { } lasting)
        {
            throw lasting;
        }

        // Give the transport a moment before the next plays are read and published.
        await Task.Delay(PublishRetryDelay, _clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waiting out an outage is progress (<c>/healthz</c>); the part is not ready meanwhile, and past the limit the stage ends.</summary>
    private void WhileUnavailable(string problem, LoopHeartbeat heartbeat)
    {
        heartbeat.Beat();
        if (_publishing.Failed(new TransportUnavailableException(problem)) is { } lasting)
        {
            throw lasting;
        }
    }

    /// <summary>An eligible play on its way to the repartition topic, and its archive position (0 when not archived).</summary>
    private readonly record struct InFlight(Task Published, IReceivedMessage Message, long ArchivePosition);

    [LoggerMessage(411, LogLevel.Information, "Ingest stage started: eligible plays go to the repartition topic keyed by track")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(413, LogLevel.Information, "Ingest stage started: eligible plays go to the repartition topic keyed by track, every play with a valid playedAt to the archive")]
    private static partial void LogStartedArchiving(ILogger logger);
}
