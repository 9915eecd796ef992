using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Streaming;

/// <summary>How the streaming pipeline reads its input: raw plays (classified and placed here) or plays ingest already placed.</summary>
public interface IPlayReader
{
    IneligibleReason Read(ReadOnlySpan<byte> payload, out PlayFields fields, out GeoPoint? point);
}
