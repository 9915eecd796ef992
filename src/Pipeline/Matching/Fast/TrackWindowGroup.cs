using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// The eligible play copies of one track in one window, as they arrive (duplicates included). The copies live in
/// a <see cref="PlayCopyArena"/>, the group's own or one shared by a window's groups.
/// </summary>
internal sealed class TrackWindowGroup
{
    private readonly bool _ownsArena;
    private PlayCopyArena _arena;
    private byte[] _trackId;
    private int _trackIdLength;
    private int _head = -1;

    public TrackWindowGroup(long windowStartMs, ReadOnlySpan<byte> trackId)
        : this(windowStartMs, trackId, new PlayCopyArena())
    {
        _ownsArena = true;
    }

    /// <summary>A group whose copies go to a shared arena (cleared by its owner).</summary>
    public TrackWindowGroup(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopyArena arena)
    {
        _arena = arena;
        _trackId = trackId.ToArray();
        _trackIdLength = trackId.Length;
        WindowStartMs = windowStartMs;
    }

    public long WindowStartMs { get; private set; }

    /// <summary>The track id as UTF-8.</summary>
    public ReadOnlySpan<byte> TrackId => _trackId.AsSpan(0, _trackIdLength);

    /// <summary>Copies added, duplicates included.</summary>
    public int Count { get; private set; }

    internal PlayCopyArena Arena => _arena;

    /// <summary>Empties the group and gives it a new window and track, keeping its buffers.</summary>
    public void Reset(long windowStartMs, ReadOnlySpan<byte> trackId) => Reset(windowStartMs, trackId, _arena);

    /// <summary>Empties the group for a new window and track whose copies go to <paramref name="arena"/>.</summary>
    public void Reset(long windowStartMs, ReadOnlySpan<byte> trackId, PlayCopyArena arena)
    {
        if (trackId.Length > _trackId.Length)
        {
            _trackId = new byte[trackId.Length];
        }

        trackId.CopyTo(_trackId);
        _trackIdLength = trackId.Length;
        WindowStartMs = windowStartMs;
        Count = 0;
        _head = -1;
        if (_ownsArena)
        {
            _arena.Clear();
        }
        else
        {
            _arena = arena;
        }
    }

    public void Add(ReadOnlySpan<byte> eventId, long playedAtMs, Location location) => Add(eventId, playedAtMs, new GeoPoint(location));

    public void Add(ReadOnlySpan<byte> eventId, long playedAtMs, GeoPoint point)
    {
        _head = _arena.Append(_head, eventId, playedAtMs, point);
        Count++;
    }

    /// <summary>The copies, in no particular order, gathered into <paramref name="scratch"/>.</summary>
    internal Span<PlayCopy> Gather(ref PlayCopy[] scratch) => _arena.Gather(_head, Count, ref scratch);
}
