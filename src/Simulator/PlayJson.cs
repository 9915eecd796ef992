using System.Buffers.Text;
using System.Text;

namespace ListeningTogether.Simulator;

/// <summary>
/// Encodes simulated records as the play JSON of DESIGN.md, written by hand straight into UTF-8 (every value
/// the simulator makes is plain ASCII that needs no escaping), including the malformed shapes.
/// </summary>
public static class PlayJson
{
    /// <summary>Room that any one encoded record fits in.</summary>
    public const int MaxLength = 512;

    private const int MaxTrackIdLength = 128;

    /// <summary>Encodes one record (no line end) and returns its length.</summary>
    public static int Write(in SimulatedPlay play, Span<byte> destination)
    {
        if (destination.Length < MaxLength)
        {
            throw new ArgumentException($"The destination must have room for {MaxLength} bytes.", nameof(destination));
        }

        if (play.Track.TrackId.Length > MaxTrackIdLength)
        {
            throw new ArgumentException($"A simulated trackId is at most {MaxTrackIdLength} characters.", nameof(play));
        }

        return play.Malformed switch
        {
            MalformedShape.Truncated => WriteTruncated(play, destination),
            MalformedShape.NotAnObject => WriteNotAnObject(play, destination),
            _ => WriteObject(play, destination, wrongTypeField: play.Malformed == MalformedShape.WrongType ? (int)(play.Variant % 3) : -1),
        };
    }

    /// <summary>Encodes one record into a new array, as a message payload.</summary>
    public static byte[] ToUtf8(in SimulatedPlay play)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return buffer[..Write(play, buffer)].ToArray();
    }

    private static int WriteTruncated(in SimulatedPlay play, Span<byte> destination)
    {
        int length = WriteObject(play, destination, wrongTypeField: -1);
        return 1 + (int)(play.Variant % (uint)(length - 1));
    }

    private static int WriteNotAnObject(in SimulatedPlay play, Span<byte> destination)
    {
        int n = 0;
        switch (play.Variant % 4)
        {
            case 0:
                destination[n++] = (byte)'[';
                n += WriteObject(play, destination[n..], wrongTypeField: -1);
                destination[n++] = (byte)']';
                return n;
            case 1:
                Append(destination, ref n, "\""u8);
                n += FormatGuid(play.EventId, destination[n..]);
                Append(destination, ref n, "\""u8);
                return n;
            case 2:
                Utf8Formatter.TryFormat(play.PlayedAtMs, destination, out n);
                return n;
            default:
                Append(destination, ref n, "null"u8);
                return n;
        }
    }

    /// <param name="wrongTypeField">-1, or which optional field gets a value of the wrong type: 0 userId, 1 ip, 2 privateSession.</param>
    private static int WriteObject(in SimulatedPlay play, Span<byte> d, int wrongTypeField)
    {
        int n = 0;
        Append(d, ref n, "{\"eventId\":\""u8);
        n += FormatGuid(play.EventId, d[n..]);
        Append(d, ref n, "\",\"trackId\":\""u8);
        n += Encoding.UTF8.GetBytes(play.Track.TrackId, d[n..]);

        if (wrongTypeField == 0)
        {
            Append(d, ref n, "\",\"userId\":"u8);
            Utf8Formatter.TryFormat(play.UserNumber, d[n..], out int written);
            n += written;
        }
        else
        {
            Append(d, ref n, "\",\"userId\":\"u-"u8);
            n += Base36.Format(play.UserNumber, d[n..]);
            d[n++] = (byte)'"';
        }

        Append(d, ref n, ",\"ip\":"u8);
        if (wrongTypeField == 1)
        {
            Utf8Formatter.TryFormat((ulong)play.Ip.Value, d[n..], out int written);
            n += written;
        }
        else if (play.Ip.Kind == SimulatedIpKind.Null)
        {
            Append(d, ref n, "null"u8);
        }
        else
        {
            d[n++] = (byte)'"';
            n += play.Ip.Format(d[n..]);
            d[n++] = (byte)'"';
        }

        Append(d, ref n, ",\"playedAt\":\""u8);
        n += PlayedAtFormat.Write(play.PlayedAtMs, d[n..]);
        d[n++] = (byte)'"';

        if (wrongTypeField == 2)
        {
            Append(d, ref n, play.PrivateSession == true ? ",\"privateSession\":\"true\""u8 : ",\"privateSession\":\"false\""u8);
        }
        else if (play.PrivateSession is bool privateSession)
        {
            Append(d, ref n, privateSession ? ",\"privateSession\":true"u8 : ",\"privateSession\":false"u8);
        }

        d[n++] = (byte)'}';
        return n;
    }

    private static int FormatGuid(Guid id, Span<byte> destination)
    {
        id.TryFormat(destination, out int written, "D");
        return written;
    }

    private static void Append(Span<byte> destination, ref int position, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination[position..]);
        position += text.Length;
    }
}
