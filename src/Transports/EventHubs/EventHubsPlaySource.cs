using System.Runtime.CompilerServices;
using ListeningTogether.Abstractions;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Plays from an Event Hub: reading starts the processor (which claims its share of the partitions), acknowledged
/// progress is checkpointed every <see cref="EventHubsTransportOptions.CheckpointIntervalMs"/>, and ending the
/// read stops the processor, writing each partition's last acknowledged position.
/// </summary>
internal sealed partial class EventHubsPlaySource : IPlaySource
{
    private readonly EventHubsPlayProcessor _processor;
    private readonly BlobCheckpointStore _store;
    private readonly TimeSpan _checkpointInterval;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public EventHubsPlaySource(EventHubsPlayProcessor processor, BlobCheckpointStore store, TimeSpan checkpointInterval, TimeProvider clock, ILogger logger)
    {
        _processor = processor;
        _store = store;
        _checkpointInterval = checkpointInterval;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The processor whose partitions this source reads.</summary>
    public EventHubsPlayProcessor Processor => _processor;

    public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await _processor.StartProcessingAsync(cancellationToken).ConfigureAwait(false);
        using var stopCheckpoints = new CancellationTokenSource();
        Task checkpoints = CheckpointPeriodicallyAsync(stopCheckpoints.Token);
        try
        {
            await foreach (EventHubsMessage message in _processor.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            await stopCheckpoints.CancelAsync().ConfigureAwait(false);
            await checkpoints.ConfigureAwait(false);

            // Stopping writes each partition's last acknowledged position (see OnPartitionProcessingStoppedAsync).
            try
            {
                await _processor.StopProcessingAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Stopping surfaces the processing loop's last failure, which its error handler already logged.
                LogStopFailed(_logger, _processor.EventHubName, e.GetType().Name, e.Message);
            }
        }
    }

    private async Task CheckpointPeriodicallyAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_checkpointInterval, _clock);
        int failedInARow = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _processor.WriteCheckpointsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // The store is unreachable for now (its client's retries exhausted end in an AggregateException,
                    // not a RequestFailedException): the positions stay pending and go out on a later tick.
                    if (failedInARow++ == 0)
                    {
                        LogCheckpointFailed(_logger, _processor.EventHubName, CheckpointStoreFailure.Describe(e));
                    }

                    continue;
                }

                if (failedInARow > 0)
                {
                    LogCheckpointsResumed(_logger, _processor.EventHubName, failedInARow);
                    failedInARow = 0;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Reading ended.
        }
    }

    [LoggerMessage(305, LogLevel.Warning, "Event Hubs {EventHubName}: the processor stopped with {ErrorType}: {ErrorMessage}")]
    private static partial void LogStopFailed(ILogger logger, string eventHubName, string errorType, string errorMessage);

    [LoggerMessage(304, LogLevel.Warning, "Event Hubs {EventHubName}: writing checkpoints failed ({Cause}); retrying on every interval, reading goes on")]
    private static partial void LogCheckpointFailed(ILogger logger, string eventHubName, string cause);

    [LoggerMessage(306, LogLevel.Information, "Event Hubs {EventHubName}: checkpoints are written again after {FailedIntervals} failed intervals")]
    private static partial void LogCheckpointsResumed(ILogger logger, string eventHubName, int failedIntervals);
}
