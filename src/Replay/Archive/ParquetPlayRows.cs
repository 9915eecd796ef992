using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The rows of one Parquet play row group being built, as the column arrays the writer takes. Ids and ips are
/// transcoded into one character arena and sliced, so a row costs no string allocation.
/// </summary>
internal sealed class ParquetPlayRows
{
    private char[] _chars = new char[1 << 12];
    private int _charsUsed;

    public ReadOnlyMemory<char>[] EventIds { get; private set; } = new ReadOnlyMemory<char>[256];

    public ReadOnlyMemory<char>[] TrackIds { get; private set; } = new ReadOnlyMemory<char>[256];

    public ReadOnlyMemory<char>?[] Ips { get; private set; } = new ReadOnlyMemory<char>?[256];

    public DateTime[] PlayedAt { get; private set; } = new DateTime[256];

    public bool?[] PrivateSession { get; private set; } = new bool?[256];

    public DateTime?[] ReceivedAt { get; private set; } = new DateTime?[256];

    public int Count { get; private set; }

    /// <summary>A timestamp column value: epoch milliseconds as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime ToTimestamp(long epochMs) => DateTime.UnixEpoch.AddTicks(epochMs * TimeSpan.TicksPerMillisecond);

    public void Add(in ArchivedPlay play)
    {
        if (Count == EventIds.Length)
        {
            Grow();
        }

        EventIds[Count] = Text(play.EventId);
        TrackIds[Count] = Text(play.TrackId);
        // Not a conditional expression: null would convert to an empty ReadOnlyMemory<char> (through char[]), not to a null value.
        Ips[Count] = null;
        if (!play.Ip.IsEmpty)
        {
            Ips[Count] = Text(play.Ip);
        }

        PlayedAt[Count] = ToTimestamp(play.PlayedAtMs);
        PrivateSession[Count] = play.PrivateSession;
        ReceivedAt[Count] = play.ReceivedAtMs is long receivedAtMs ? ToTimestamp(receivedAtMs) : null;
        Count++;
    }

    /// <summary>Empties the rows, keeping the buffers (and dropping references to older arenas).</summary>
    public void Clear()
    {
        Array.Clear(EventIds, 0, Count);
        Array.Clear(TrackIds, 0, Count);
        Array.Clear(Ips, 0, Count);
        Count = 0;
        _charsUsed = 0;
    }

    private ReadOnlyMemory<char> Text(ReadOnlySpan<byte> utf8)
    {
        int max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length - _charsUsed < max)
        {
            // Rows so far keep the old arena alive; new text goes to a larger one.
            _chars = new char[Math.Max(_chars.Length * 2, max)];
            _charsUsed = 0;
        }

        int written = Encoding.UTF8.GetChars(utf8, _chars.AsSpan(_charsUsed));
        var text = new ReadOnlyMemory<char>(_chars, _charsUsed, written);
        _charsUsed += written;
        return text;
    }

    private void Grow()
    {
        int size = EventIds.Length * 2;
        EventIds = Resized(EventIds, size);
        TrackIds = Resized(TrackIds, size);
        Ips = Resized(Ips, size);
        PlayedAt = Resized(PlayedAt, size);
        PrivateSession = Resized(PrivateSession, size);
        ReceivedAt = Resized(ReceivedAt, size);
    }

    private static T[] Resized<T>(T[] array, int size)
    {
        Array.Resize(ref array, size);
        return array;
    }
}
