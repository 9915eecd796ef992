using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Replay.Input;

/// <summary>
/// Reads the lines of one chunk of a JSONL file: "\n" or "\r\n" ends, a UTF-8 BOM at the start of the file
/// skipped, lines of only whitespace skipped. Lines are spans into a reused buffer that grows for long lines.
/// </summary>
public sealed class JsonlLineReader : IDisposable
{
    /// <summary>Lines up to this length come whole; longer ones are cut here, still longer than a record may be (<see cref="PlayDecoder.MaxRecordBytes"/>), so they stay malformed.</summary>
    public const int MaxLineBytes = 4 * PlayDecoder.MaxRecordBytes;

    private readonly FileStream _stream;
    private readonly long _end;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _filled;
    private long _bufferOffset;
    private long _dropped;
    private bool _eof;

    public JsonlLineReader(FileChunk chunk)
    {
        _stream = new FileStream(chunk.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        _stream.Position = chunk.Start;
        _bufferOffset = chunk.Start;
        _end = chunk.End;
        if (chunk.Start == 0)
        {
            Fill();
            if (_buffer.AsSpan(0, _filled).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start = 3;
            }
        }
    }

    /// <summary>Next non-blank line without its line end, and the file offset where it starts.</summary>
    /// <remarks>Lines longer than <see cref="MaxLineBytes"/> come back cut to about that length (still too long to be a record).</remarks>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out long offset)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _filled - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                if (_filled - _start > MaxLineBytes)
                {
                    // A line this long is malformed whatever follows: keep enough of it to say so, not all of it.
                    _dropped += _filled - (_start + MaxLineBytes);
                    _filled = _start + MaxLineBytes;
                }

                Fill();
                continue;
            }

            if (newline < 0 && _start == _filled)
            {
                line = default;
                offset = 0;
                return false;
            }

            int length = newline < 0 ? _filled - _start : newline;
            line = _buffer.AsSpan(_start, length);
            offset = _bufferOffset + _start;
            _start += newline < 0 ? length : length + 1;

            // Bytes dropped from a cut line no longer stand in the buffer: later offsets move past them.
            _bufferOffset += _dropped;
            _dropped = 0;
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (!IsBlank(line))
            {
                return true;
            }
        }
    }

    private static readonly System.Buffers.SearchValues<byte> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n\f\v"u8);

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(Whitespace) < 0;

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _filled - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _filled -= _start;
            _start = 0;
        }

        if (_filled == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        long remaining = _end - (_bufferOffset + _dropped + _filled);
        int toRead = (int)Math.Min(_buffer.Length - _filled, remaining);
        int read = toRead <= 0 ? 0 : _stream.Read(_buffer, _filled, toRead);
        _filled += read;
        _eof = read == 0;
    }

    public void Dispose() => _stream.Dispose();
}
