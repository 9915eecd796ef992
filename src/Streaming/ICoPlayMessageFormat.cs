using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming;

/// <summary>
/// How a co-play travels on the results topic or hub, from the match stage to the site stage (DESIGN.md
/// "Scale-out"): the host plugs in the results format (a JSONL object with <c>"v":1</c>, without its line end).
/// </summary>
public interface ICoPlayMessageFormat
{
    /// <summary>Writes <paramref name="coPlay"/> to <paramref name="buffer"/> and returns the message's payload, a part of what it wrote.</summary>
    ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, CoPlay coPlay);

    /// <summary>Reads a message's payload; false when it is not a co-play.</summary>
    bool TryRead(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out CoPlay? coPlay);
}
