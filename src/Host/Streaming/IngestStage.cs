using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.ScaleOut;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// <c>run --stage ingest</c>: decodes, filters and geolocates raw plays, and republishes the eligible ones, without
/// user id or address, to the repartition topic or hub keyed by track. A raw message is acknowledged once it is
/// counted when ineligible, and once its repartitioned copy is durable when eligible. Stateless: replicas compete.
/// </summary>
internal sealed partial class IngestStage(
    IPlaySource source,
    IPlayReader reader,
    IKeyedPublisher repartition,
    PipelineCounters counters,
    ILogger<IngestStage> logger,
    IDeadLetterSink? deadLetters = null) : BackgroundService, IStageStatus
{
    /// <summary>Eligible plays in flight to the repartition topic before the stage waits for them.</summary>
    private const int MaxInFlight = 2000;

    private readonly List<(Task Published, IReceivedMessage Message)> _inFlight = [];

    private volatile bool _reading;

    public bool IsReading => _reading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var message = new RepartitionMessage();
        LogStarted(logger);
        _reading = true;
        try
        {
            await using IAsyncEnumerator<IReceivedMessage> messages = source.ReadAllAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
            while (true)
            {
                ValueTask<bool> next = messages.MoveNextAsync();
                if (!next.IsCompletedSuccessfully && _inFlight.Count > 0)
                {
                    // Nothing waiting: settle what is in flight rather than hold its acknowledgements.
                    await SettleAsync(stoppingToken).ConfigureAwait(false);
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                await HandleAsync(messages.Current, message, stoppingToken).ConfigureAwait(false);
                if (_inFlight.Count >= MaxInFlight)
                {
                    await SettleAsync(stoppingToken).ConfigureAwait(false);
                }
            }

            await SettleAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: unacknowledged messages come back from the transport.
        }
    }

    private async ValueTask HandleAsync(IReceivedMessage received, RepartitionMessage message, CancellationToken cancellationToken)
    {
        IneligibleReason reason = reader.Read(received.Payload.Span, out PlayFields fields, out GeoPoint? point);
        counters.Count(reason);
        if (reason == IneligibleReason.None)
        {
            ReadOnlyMemory<byte> payload = message.Write(fields.EventId, fields.TrackId, fields.PlayedAtMs, received.ReceivedAt, point!.Location);
            string key = Encoding.UTF8.GetString(fields.TrackId);
            _inFlight.Add((repartition.PublishAsync(key, payload, cancellationToken).AsTask(), received));
            return;
        }

        if (reason.IsDeadLettered())
        {
            deadLetters?.Write(new DeadLetter(reason, received.ReceivedAt, received.Source, received.Payload.ToArray()));
        }

        await received.AckAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await repartition.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The failed plays stay unacknowledged below and come back.
            LogPublishFailed(logger, e);
        }

        foreach ((Task published, IReceivedMessage message) in _inFlight)
        {
            try
            {
                await published.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not acknowledged: the transport delivers the play again and it is republished then.
                LogPublishFailed(logger, e);
                continue;
            }

            await message.AckAsync(cancellationToken).ConfigureAwait(false);
        }

        _inFlight.Clear();
    }

    [LoggerMessage(1, LogLevel.Information, "Ingest stage started: eligible plays go to the repartition topic keyed by track")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "A play could not be republished; it stays unacknowledged and comes back")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
