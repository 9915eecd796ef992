using System.Buffers;

namespace ListeningTogether.Simulator;

/// <summary>Writes simulated records to a stream as JSONL (one JSON record a line, <c>\n</c> ends), through a pooled buffer.</summary>
public sealed class PlayJsonlWriter : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly Stream _destination;
    private byte[]? _buffer;
    private int _length;

    public PlayJsonlWriter(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>
    /// Writes all records to a stream, encoding into one buffer while the previous one is being written, so that
    /// encoding and disk I/O overlap. Returns the number of records.
    /// </summary>
    public static async Task<long> WriteAllAsync(IEnumerable<SimulatedPlay> plays, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plays);
        ArgumentNullException.ThrowIfNull(destination);
        byte[] filling = ArrayPool<byte>.Shared.Rent(BufferSize);
        byte[] writing = ArrayPool<byte>.Shared.Rent(BufferSize);
        var pending = Task.CompletedTask;
        long count = 0;
        try
        {
            int length = 0;
            foreach (var play in plays)
            {
                if (filling.Length - length < PlayJson.MaxLength + 1)
                {
                    await pending.ConfigureAwait(false);
                    pending = destination.WriteAsync(filling.AsMemory(0, length), cancellationToken).AsTask();
                    (filling, writing) = (writing, filling);
                    length = 0;
                }

                length += PlayJson.Write(play, filling.AsSpan(length));
                filling[length++] = (byte)'\n';
                count++;
            }

            await pending.ConfigureAwait(false);
            await destination.WriteAsync(filling.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
        finally
        {
            // A write still in flight (after an exception) must finish before its buffer goes back to the pool.
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The exception that got us here is the one to report.
            }

            ArrayPool<byte>.Shared.Return(filling);
            ArrayPool<byte>.Shared.Return(writing);
        }
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
