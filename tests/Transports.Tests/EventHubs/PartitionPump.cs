using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Processor;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// What the SDK's partition pump does for one claimed partition, over a <see cref="PartitionLog"/>: initialize the
/// partition, start after its stored checkpoint, hand over batches as events arrive, and on shutdown stop the
/// partition (which writes its last acknowledged position).
/// </summary>
internal sealed class PartitionPump
{
    private readonly TestEventHubsProcessor _processor;
    private readonly string _partitionId;
    private readonly PartitionLog _log;
    private readonly int _batchSize;

    public PartitionPump(TestEventHubsProcessor processor, string partitionId, PartitionLog log, int batchSize)
    {
        _processor = processor;
        _partitionId = partitionId;
        _log = log;
        _batchSize = batchSize;
    }

    /// <summary>Pumps until <paramref name="stopping"/> is cancelled, then stops the partition for a shutdown.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        long next = await _processor.ClaimPartitionAsync(_partitionId);
        try
        {
            while (true)
            {
                await _log.WaitForAsync(next, stopping);
                IReadOnlyList<EventData> batch = _log.Read(next, _batchSize);
                if (batch.Count > 0)
                {
                    await _processor.DeliverAsync(_partitionId, batch, stopping);
                    next = batch[^1].SequenceNumber + 1;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The processor is stopping.
        }
        finally
        {
            await _processor.StopPartitionAsync(_partitionId, ProcessingStoppedReason.Shutdown);
        }
    }
}
