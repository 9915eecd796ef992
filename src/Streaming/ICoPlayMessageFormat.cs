using System.Buffers;
using ListeningTogether.Abstractions;
using ListeningTogether.Streaming.Results;

namespace ListeningTogether.Streaming;

/// <summary>
/// How results travel on the results topic or hub, from the match stage to the site stage (DESIGN.md "Scale-out",
/// "One world view"): co-plays with their shard, and the shards' watermarks. The host plugs in the format (JSON
/// objects with <c>"v":1</c>).
/// </summary>
public interface ICoPlayMessageFormat
{
    /// <summary>Writes <paramref name="coPlay"/>, matched by <paramref name="shard"/>, to <paramref name="buffer"/> and returns the message's payload, a part of what it wrote.</summary>
    ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, CoPlay coPlay, int shard);

    /// <summary>Writes a shard's watermark to <paramref name="buffer"/> and returns the message's payload.</summary>
    ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, ShardWatermark watermark);

    /// <summary>Reads a message's payload; false when it is neither a co-play nor a watermark.</summary>
    bool TryRead(ReadOnlySpan<byte> payload, out ResultsMessage message);
}
