using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// The binary form of one eligible play between replay's two passes:
/// playedAt (int64), City database place id (int32, <see cref="Pipeline.Matching.GeoPoint.PlaceId"/>), track id length (uint16), event id length (uint16), then the
/// track id and event id as UTF-8.
/// </summary>
internal static class SpillRecord
{
    public const int HeaderBytes = 16;

    public static int Write(Span<byte> destination, long playedAtMs, int placeId, ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, playedAtMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], placeId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[12..], (ushort)trackId.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], (ushort)eventId.Length);
        trackId.CopyTo(destination[HeaderBytes..]);
        eventId.CopyTo(destination[(HeaderBytes + trackId.Length)..]);
        return HeaderBytes + trackId.Length + eventId.Length;
    }

    /// <summary>
    /// As <see cref="Read"/> for bytes not known to be whole records: false when the record's header or ids run past
    /// the end of <paramref name="source"/>. Gives what indexing a bucket needs.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out long playedAtMs, out int placeId, out ReadOnlySpan<byte> trackId, out int length)
    {
        playedAtMs = 0;
        placeId = 0;
        trackId = default;
        length = 0;
        if (source.Length < HeaderBytes)
        {
            return false;
        }

        int trackLength = BinaryPrimitives.ReadUInt16LittleEndian(source[12..]);
        length = HeaderBytes + trackLength + BinaryPrimitives.ReadUInt16LittleEndian(source[14..]);
        if (length > source.Length)
        {
            return false;
        }

        playedAtMs = BinaryPrimitives.ReadInt64LittleEndian(source);
        placeId = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        trackId = source.Slice(HeaderBytes, trackLength);
        return true;
    }

    /// <summary>Reads the record at the start of <paramref name="source"/>, a whole one (see <see cref="TryRead"/>); returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ReadOnlySpan<byte> source, out long playedAtMs, out int placeId, out ReadOnlySpan<byte> trackId, out ReadOnlySpan<byte> eventId)
    {
        playedAtMs = BinaryPrimitives.ReadInt64LittleEndian(source);
        placeId = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        int trackLength = BinaryPrimitives.ReadUInt16LittleEndian(source[12..]);
        int eventLength = BinaryPrimitives.ReadUInt16LittleEndian(source[14..]);
        trackId = source.Slice(HeaderBytes, trackLength);
        eventId = source.Slice(HeaderBytes + trackLength, eventLength);
        return HeaderBytes + trackLength + eventLength;
    }
}
