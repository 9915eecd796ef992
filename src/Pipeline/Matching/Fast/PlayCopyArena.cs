namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// Storage for the play copies of many groups (one window's): copies and event-id bytes are appended to shared
/// arrays and each group chains its own copies, so a window's groups allocate nothing once the arrays have grown,
/// however plays spread over tracks. Cleared and reused window after window.
/// </summary>
internal sealed class PlayCopyArena
{
    private PlayCopy[] _copies = new PlayCopy[64];
    private int[] _next = new int[64];
    private byte[] _bytes = new byte[2048];
    private int _count;
    private int _byteCount;

    /// <summary>Appends a copy in front of the chain that starts at <paramref name="head"/>; returns the new head.</summary>
    internal int Append(int head, ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point)
    {
        if (_count == _copies.Length)
        {
            Array.Resize(ref _copies, _count * 2);
            Array.Resize(ref _next, _count * 2);
        }

        if (_byteCount + eventId.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _byteCount + eventId.Length));
        }

        eventId.CopyTo(_bytes.AsSpan(_byteCount));
        _copies[_count] = new PlayCopy(_byteCount, eventId.Length, playedAtMs, point);
        _next[_count] = head;
        _byteCount += eventId.Length;
        return _count++;
    }

    /// <summary>Copies the chain from <paramref name="head"/> into <paramref name="destination"/> (grown as needed).</summary>
    internal Span<PlayCopy> Gather(int head, int count, ref PlayCopy[] destination)
    {
        if (destination.Length < count)
        {
            destination = new PlayCopy[Math.Max(count, destination.Length * 2)];
        }

        int i = 0;
        for (int index = head; index >= 0; index = _next[index])
        {
            destination[i++] = _copies[index];
        }

        return destination.AsSpan(0, i);
    }

    internal ReadOnlySpan<byte> EventId(in PlayCopy copy) => _bytes.AsSpan(copy.EventIdStart, copy.EventIdLength);

    internal byte[] Bytes => _bytes;

    public void Clear()
    {
        Array.Clear(_copies, 0, _count);
        _count = 0;
        _byteCount = 0;
    }
}
