using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Composition;

/// <summary>Co-plays on the results topic or hub as their JSONL object with <c>"v":1</c>, without the line end.</summary>
internal sealed class JsonlCoPlayMessages : ICoPlayMessageFormat
{
    public ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, CoPlay coPlay)
    {
        int start = buffer.WrittenCount;
        CoPlayJsonl.Write(buffer, coPlay, version: true);

        // The JSONL form ends in a line end, which a message does not need.
        return buffer.WrittenMemory[start..^1];
    }

    public bool TryRead(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out CoPlay? coPlay) =>
        CoPlayJsonlReader.TryParse(payload, out coPlay, out _);
}
