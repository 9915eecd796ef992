using System.Buffers;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming;

/// <summary>The match stage's results: every co-play, as its JSONL object with <c>"v":1</c>, to the results topic or hub keyed by track.</summary>
public sealed class ResultsPublisherSink(IKeyedPublisher publisher, ICoPlayMessageFormat format) : ICoPlaySink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        // Published together so a batching transport sends a window in few requests; done when all are durable.
        var published = new Task[coPlays.Count];
        for (int i = 0; i < coPlays.Count; i++)
        {
            _buffer.ResetWrittenCount();
            published[i] = publisher.PublishAsync(coPlays[i].TrackId, format.Write(_buffer, coPlays[i]), cancellationToken).AsTask();
        }

        await Task.WhenAll(published).ConfigureAwait(false);
        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
