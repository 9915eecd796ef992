using System.Buffers;

namespace ListeningTogether.Simulator;

/// <summary>Writes simulated records to a stream as JSONL (one JSON record a line, <c>\n</c> ends), through a pooled buffer.</summary>
public sealed class PlayJsonlWriter : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly Stream _destination;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _length;

    public PlayJsonlWriter(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
    }

    /// <summary>Records written so far.</summary>
    public long Count { get; private set; }

    public void Write(in SimulatedPlay play)
    {
        byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(PlayJsonlWriter));
        if (buffer.Length - _length < PlayJson.MaxLength + 1)
        {
            FlushBuffer(buffer);
        }

        _length += PlayJson.Write(play, buffer.AsSpan(_length));
        buffer[_length++] = (byte)'\n';
        Count++;
    }

    /// <summary>Writes the buffered lines to the stream and flushes it.</summary>
    public void Flush()
    {
        FlushBuffer(_buffer ?? throw new ObjectDisposedException(nameof(PlayJsonlWriter)));
        _destination.Flush();
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            FlushBuffer(buffer);
            _destination.Flush();
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void FlushBuffer(byte[] buffer)
    {
        _destination.Write(buffer, 0, _length);
        _length = 0;
    }
}
