using System.Buffers;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>A results sink that keeps every co-play it gets in its JSONL form, in arrival order.</summary>
internal sealed class JsonlBufferSink : ICoPlaySink
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public string Text => Encoding.UTF8.GetString(_buffer.WrittenSpan);

    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        foreach (CoPlay coPlay in coPlays)
        {
            CoPlayJsonl.Write(_buffer, coPlay);
        }

        return ValueTask.CompletedTask;
    }
}
