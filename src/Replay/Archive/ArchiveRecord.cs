using System.Buffers.Binary;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// One play in a write-ahead segment: a flags byte, playedAt, receivedAt when known (both int64 epoch milliseconds,
/// little-endian), then eventId, trackId and, when present, ip as UTF-8 with a 7-bit varint length. No user id.
/// </summary>
internal static class ArchiveRecord
{
    private const byte HasIp = 1;
    private const byte IsPrivateSession = 2;
    private const byte HasReceivedAt = 4;
    private const int MaxVarintBytes = 5;

    /// <summary>Whether <paramref name="value"/> can be the flags byte that starts a record.</summary>
    public static bool IsFlags(byte value) => (value & ~(HasIp | IsPrivateSession | HasReceivedAt)) == 0;

    /// <summary>Room that <paramref name="play"/> needs at most.</summary>
    public static int MaxLength(in ArchivedPlay play) =>
        1 + 8 + 8 + (3 * MaxVarintBytes) + play.EventId.Length + play.TrackId.Length + play.Ip.Length;

    /// <summary>Encodes <paramref name="play"/> at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int Write(in ArchivedPlay play, Span<byte> destination)
    {
        byte flags = (byte)((play.Ip.IsEmpty ? 0 : HasIp)
            | (play.PrivateSession ? IsPrivateSession : 0)
            | (play.ReceivedAtMs.HasValue ? HasReceivedAt : 0));
        destination[0] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], play.PlayedAtMs);
        int n = 9;
        if (play.ReceivedAtMs is long receivedAtMs)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[n..], receivedAtMs);
            n += 8;
        }

        n += WriteText(play.EventId, destination[n..]);
        n += WriteText(play.TrackId, destination[n..]);
        if (!play.Ip.IsEmpty)
        {
            n += WriteText(play.Ip, destination[n..]);
        }

        return n;
    }

    /// <summary>Decodes the record at the start of <paramref name="source"/>; false when it is cut short or not a record.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ArchivedPlay play, out int length)
    {
        play = default;
        length = 0;
        if (source.Length < 9 || !IsFlags(source[0]))
        {
            return false;
        }

        byte flags = source[0];
        long playedAtMs = BinaryPrimitives.ReadInt64LittleEndian(source[1..]);
        int n = 9;
        long? receivedAtMs = null;
        if ((flags & HasReceivedAt) != 0)
        {
            if (source.Length < n + 8)
            {
                return false;
            }

            receivedAtMs = BinaryPrimitives.ReadInt64LittleEndian(source[n..]);
            n += 8;
        }

        ReadOnlySpan<byte> ip = default;
        if (!TryReadText(source, ref n, out ReadOnlySpan<byte> eventId)
            || !TryReadText(source, ref n, out ReadOnlySpan<byte> trackId)
            || ((flags & HasIp) != 0 && !TryReadText(source, ref n, out ip)))
        {
            return false;
        }

        play = new ArchivedPlay(eventId, trackId, ip, playedAtMs, (flags & IsPrivateSession) != 0, receivedAtMs);
        length = n;
        return true;
    }

    private static int WriteText(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        int n = 0;
        uint value = (uint)text.Length;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        text.CopyTo(destination[n..]);
        return n + text.Length;
    }

    private static bool TryReadText(ReadOnlySpan<byte> source, scoped ref int position, out ReadOnlySpan<byte> text)
    {
        text = default;
        uint length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (position >= source.Length || shift >= 7 * MaxVarintBytes)
            {
                return false;
            }

            byte b = source[position++];
            length |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > (uint)(source.Length - position))
        {
            return false;
        }

        text = source.Slice(position, (int)length);
        position += (int)length;
        return true;
    }
}
