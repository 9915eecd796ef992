using System.Buffers;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Host.Streaming;

/// <summary>The match stage's results: every co-play, as its JSONL object with <c>"v":1</c>, to the results topic or hub keyed by track.</summary>
internal sealed class ResultsPublisherSink(IKeyedPublisher publisher) : ICoPlaySink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        // Published together so a batching transport sends a window in few requests; done when all are durable.
        var published = new Task[coPlays.Count];
        for (int i = 0; i < coPlays.Count; i++)
        {
            _buffer.ResetWrittenCount();
            CoPlayJsonl.Write(_buffer, coPlays[i], version: true);
            // The JSONL form ends in a line end, which a message does not need.
            published[i] = publisher.PublishAsync(coPlays[i].TrackId, _buffer.WrittenMemory[..^1], cancellationToken).AsTask();
        }

        await Task.WhenAll(published).ConfigureAwait(false);
        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
