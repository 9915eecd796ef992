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

    private byte[] _trackId;
    private int _trackIdLength;

    public TrackWindowGroup(long windowStartMs, ReadOnlySpan<byte> trackId)
    {
        _trackId = trackId.ToArray();
        _trackIdLength = trackId.Length;
        WindowStartMs = windowStartMs;
    }

    public long WindowStartMs { get; private set; }

    /// <summary>The track id as UTF-8.</summary>
    public ReadOnlySpan<byte> TrackId => _trackId.AsSpan(0, _trackIdLength);

    /// <summary>Empties the group and gives it a new window and track, keeping its buffers.</summary>
    public void Reset(long windowStartMs, ReadOnlySpan<byte> trackId)
    {
        if (trackId.Length > _trackId.Length)
        {
            _trackId = new byte[trackId.Length];
        }

        trackId.CopyTo(_trackId);
        _trackIdLength = trackId.Length;
        WindowStartMs = windowStartMs;
        Count = 0;
        _eventIdBytes = 0;
    }

    /// <summary>Copies added, duplicates included.</summary>
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> eventId, long playedAtMs, Location location) => Add(eventId, playedAtMs, new GeoPoint(location));

    public void Add(ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point)
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
        _copies[Count++] = new PlayCopy(_eventIdBytes, eventId.Length, playedAtMs, point);
        _eventIdBytes += eventId.Length;
    }

    internal ReadOnlySpan<PlayCopy> Copies => _copies.AsSpan(0, Count);

    internal ReadOnlySpan<byte> EventId(in PlayCopy copy) => _eventIds.AsSpan(copy.EventIdStart, copy.EventIdLength);

    internal byte[] EventIdArena => _eventIds;
}
