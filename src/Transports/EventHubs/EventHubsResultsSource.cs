using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Azure.Messaging.EventHubs.Consumer;
using ListeningTogether.Abstractions;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Everything on the results hub for one site replica (DESIGN.md "One world view"): every partition read from its
/// latest event on, in the site consumer group, without checkpoints, ownership or load balancing, so every replica
/// gets every co-play and watermark. A partition's failure the client could not retry ends the read.
/// </summary>
internal sealed partial class EventHubsResultsSource(EventHubConsumerClient client, string eventHubName, int bufferCapacity, TimeProvider clock, ILogger logger) : IPlaySource
{
    /// <summary>The SDK client the partitions are read with.</summary>
    public EventHubConsumerClient Client => client;

    public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] partitions = await client.GetPartitionIdsAsync(cancellationToken).ConfigureAwait(false);
        var received = Channel.CreateBounded<IReceivedMessage>(new BoundedChannelOptions(bufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reading = ReadPartitionsAsync(partitions, received.Writer, stopping.Token);
        LogStarted(logger, eventHubName, partitions.Length);
        try
        {
            await foreach (IReceivedMessage message in received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads every partition until the read stops or one partition's read ends (a failure the client could not retry
    /// away); then stops the others and completes <paramref name="received"/>, with that failure if there was one.
    /// </summary>
    private async Task ReadPartitionsAsync(string[] partitions, ChannelWriter<IReceivedMessage> received, CancellationToken stopping)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task[] reads = [.. partitions.Select(p => ReadPartitionAsync(p, received, stopAll.Token))];
        Task ended = await Task.WhenAny(reads).ConfigureAwait(false);
        await stopAll.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The first read to end tells why they all ended; the others were stopped.
        }

        if (stopping.IsCancellationRequested)
        {
            received.TryComplete();
            return;
        }

        Exception failure = ended.Exception?.InnerException ?? new InvalidOperationException($"Reading a partition of Event Hubs {eventHubName} ended.");

        // Exception messages of the Azure SDK name hosts and entities, never keys or signatures.
        LogPartitionFailed(logger, eventHubName, failure.GetType().Name, failure.Message);
        received.TryComplete(failure);
    }

    private async Task ReadPartitionAsync(string partitionId, ChannelWriter<IReceivedMessage> received, CancellationToken stopping)
    {
        // Yield first so one partition's synchronous start never holds up the others'.
        await Task.Yield();
        string source = $"eventhubs:{eventHubName}/{partitionId}";
        // No owner level: a non-exclusive reader beside the other site replicas (the service allows 5 per partition and group).
        var options = new ReadEventOptions();
        await foreach (PartitionEvent e in client.ReadEventsFromPartitionAsync(partitionId, EventPosition.Latest, options, stopping).ConfigureAwait(false))
        {
            if (e.Data is { } data)
            {
                var message = new EventHubsResult(data.EventBody.ToMemory(), source, data.SequenceNumber, clock.GetUtcNow());
                await received.WriteAsync(message, stopping).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(307, LogLevel.Information, "Event Hubs {EventHubName}: reading all {Partitions} partitions from the latest event, no checkpoints")]
    private static partial void LogStarted(ILogger logger, string eventHubName, int partitions);

    [LoggerMessage(308, LogLevel.Error, "Event Hubs {EventHubName}: reading a partition failed for good: {ErrorType}: {ErrorMessage}")]
    private static partial void LogPartitionFailed(ILogger logger, string eventHubName, string errorType, string errorMessage);
}
