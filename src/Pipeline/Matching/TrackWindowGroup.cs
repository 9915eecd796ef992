using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>
/// The eligible play copies of one track in one window, as they arrive (duplicates included). Event ids are kept
/// as UTF-8 bytes in one growing arena, so adding a play allocates nothing once the buffers have grown.
/// </summary>
public sealed class TrackWindowGroup
{
    private PlayCopy[] _copies = new PlayCopy[4];
    private byte[] _eventIds = new byte[128];
    private int _eventIdBytes;

    public TrackWindowGroup(long windowStartMs, byte[] trackId)
    {
        WindowStartMs = windowStartMs;
        TrackId = trackId;
    }

    public long WindowStartMs { get; }

    /// <summary>The track id as UTF-8.</summary>
    public byte[] TrackId { get; }

    /// <summary>Copies added, duplicates included.</summary>
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> eventId, long playedAtMs, Location location)
    {
        if (Count == _copies.Length)
        {
            Array.Resize(ref _copies, _copies.Length * 2);
        }

        if (_eventIdBytes + eventId.Length > _eventIds.Length)
        {
            Array.Resize(ref _eventIds, Math.Max(_eventIds.Length * 2, _eventIdBytes + eventId.Length));
        }

        eventId.CopyTo(_eventIds.AsSpan(_eventIdBytes));
        _copies[Count++] = new PlayCopy(_eventIdBytes, eventId.Length, playedAtMs, location);
        _eventIdBytes += eventId.Length;
    }

    internal ReadOnlySpan<PlayCopy> Copies => _copies.AsSpan(0, Count);

    internal ReadOnlySpan<byte> EventId(in PlayCopy copy) => _eventIds.AsSpan(copy.EventIdStart, copy.EventIdLength);

    internal byte[] EventIdArena => _eventIds;
}
