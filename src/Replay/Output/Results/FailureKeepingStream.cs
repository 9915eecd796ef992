using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using ParquetSharp;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// The output of a Parquet C++ writer, passing writes through to <paramref name="inner"/> and keeping the first
/// exception it throws. Parquet C++ turns a failed write of its managed stream into a <see cref="ParquetException"/>
/// carrying only text, which would lose what callers act on: an <see cref="IOException"/> of a full disk (reported as
/// such, retried by the streaming sinks) or of a missing folder. <see cref="Rethrow"/> gives the original back.
/// </summary>
internal sealed class FailureKeepingStream(Stream inner) : Stream
{
    private ExceptionDispatchInfo? _failure;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>Throws the stream's own exception when it caused <paramref name="writerFailure"/>, or else <paramref name="writerFailure"/>.</summary>
    [DoesNotReturn]
    public void Rethrow(ParquetException writerFailure)
    {
        _failure?.Throw();
        ExceptionDispatchInfo.Throw(writerFailure);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception e)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
