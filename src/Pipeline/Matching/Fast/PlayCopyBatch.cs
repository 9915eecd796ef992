namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// The eligible copies of one (window, track) group whose event ids stay where the caller keeps them (replay's
/// buffer of spilled records): building a group copies no bytes. Reused group after group; one per thread.
/// </summary>
internal sealed class PlayCopyBatch
{
    private PlayCopy[] _copies = new PlayCopy[64];

    /// <summary>The bytes the copies' event ids point into.</summary>
    public byte[] Bytes { get; private set; } = [];

    /// <summary>Copies added, duplicates included.</summary>
    public int Count { get; private set; }

    internal PlayCopy[] Array => _copies;

    /// <summary>Empties the batch for a group whose event ids live in <paramref name="bytes"/>.</summary>
    public void Reset(byte[] bytes)
    {
        Bytes = bytes;
        Count = 0;
    }

    /// <summary>Adds a copy whose event id is <c>Bytes[eventIdStart..(eventIdStart + eventIdLength)]</c>.</summary>
    public void Add(int eventIdStart, int eventIdLength, long playedAtMs, GeoPoint point)
    {
        if (Count == _copies.Length)
        {
            System.Array.Resize(ref _copies, Count * 2);
        }

        _copies[Count++] = new PlayCopy(eventIdStart, eventIdLength, playedAtMs, point);
    }
}
