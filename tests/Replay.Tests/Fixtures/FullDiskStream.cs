namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>A disk that takes <c>capacity</c> bytes and then fails every write as a full disk does on Linux.</summary>
public sealed class FullDiskStream(int capacity) : MemoryStream
{
    public const int NoSpaceErrno = 28;

    /// <summary>The exception the first failed write threw.</summary>
    public IOException? Thrown { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        TakeRoom(buffer.Length);
        base.Write(buffer.ToArray(), 0, buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        TakeRoom(count);
        base.Write(buffer, offset, count);
    }

    private void TakeRoom(int count)
    {
        if (Length + count > capacity)
        {
            Thrown ??= new IOException("No space left on device", NoSpaceErrno);
            throw Thrown;
        }
    }
}
