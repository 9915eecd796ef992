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

    /// <summary>The length of the record at the start of <paramref name="source"/>; false when its header or ids run past the end.</summary>
    public static bool TryMeasure(ReadOnlySpan<byte> source, out int length)
    {
        if (source.Length < HeaderBytes)
        {
            length = 0;
            return false;
        }

        length = HeaderBytes + BinaryPrimitives.ReadUInt16LittleEndian(source[12..]) + BinaryPrimitives.ReadUInt16LittleEndian(source[14..]);
        return length <= source.Length;
    }

    /// <summary>Reads the record at the start of <paramref name="source"/> (whole: see <see cref="TryMeasure"/>); returns its length.</summary>
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
