using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.ScaleOut;

namespace ListeningTogether.Streaming;

/// <summary>The match stage's input: plays ingest already judged eligible and placed; anything unreadable is malformed.</summary>
public sealed class RepartitionedPlayReader : IPlayReader
{
    private readonly RepartitionedPlayDecoder _decoder = new();

    public IneligibleReason Read(ReadOnlySpan<byte> payload, out PlayFields fields, out GeoPoint? point) =>
        _decoder.TryDecode(payload, out fields, out point) ? IneligibleReason.None : IneligibleReason.Malformed;
}
