using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.Migration;

/// <summary>
/// <c>Transport:Kind=Migration</c>: reads the Pub/Sub and the Event Hubs sources at once, so plays published to
/// either during a move between clouds all arrive. A play published to both arrives twice and counts once: the
/// pipeline deduplicates by event id within its window and track, as it does for any redelivery. Each message
/// keeps its own acknowledgement.
/// </summary>
public sealed class MergedPlaySource(IReadOnlyList<IPlaySource> sources, int capacity = 10_000) : IPlaySource
{
    public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var merged = Channel.CreateBounded<IReceivedMessage>(new BoundedChannelOptions(capacity) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task pumping = PumpAllAsync(merged.Writer, stop);
        try
        {
            await foreach (IReceivedMessage message in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pumping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PumpAllAsync(ChannelWriter<IReceivedMessage> writer, CancellationTokenSource stop)
    {
        await Task.WhenAll(sources.Select(source => PumpAsync(source, writer, stop))).ConfigureAwait(false);
        writer.TryComplete();
    }

    private static async Task PumpAsync(IPlaySource source, ChannelWriter<IReceivedMessage> writer, CancellationTokenSource stop)
    {
        try
        {
            await foreach (IReceivedMessage message in source.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await writer.WriteAsync(message, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // A source that failed ends the merged stream with its error, not silently, and stops the others.
            writer.TryComplete(e);
            await stop.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
