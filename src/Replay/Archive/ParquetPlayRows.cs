using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ParquetSharp;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The rows of one Parquet play row group being built, column by column as the writer takes them: ids and ips as
/// UTF-8 <see cref="ByteArray"/> values, copied as received into pinned chunks (never decoded to strings), times as
/// epoch milliseconds, and a definition level per row for each nullable column. Nothing is allocated per row.
/// <see cref="Clear"/> keeps the columns and the chunks for the next row group: a writer that goes on to another row
/// group, or another file with the same rows (see <see cref="ParquetPlayRowsPool"/>), allocates nothing more once
/// they are large enough.
/// </summary>
internal sealed class ParquetPlayRows
{
    private const int InitialRows = 256;

    private readonly PinnedUtf8Arena _text = new();

    public ByteArray[] EventIds { get; private set; } = new ByteArray[InitialRows];

    public ByteArray[] TrackIds { get; private set; } = new ByteArray[InitialRows];

    /// <summary>Each row's ip definition level: 1 when it has an ip, 0 when null.</summary>
    public short[] IpLevels { get; private set; } = new short[InitialRows];

    /// <summary>The ips of the rows that have one, in row order (<see cref="IpCount"/> of them).</summary>
    public ByteArray[] Ips { get; private set; } = new ByteArray[InitialRows];

    public int IpCount { get; private set; }

    public long[] PlayedAtMs { get; private set; } = new long[InitialRows];

    /// <summary>Each row's private_session definition level: always 1 (the column may hold nulls; the archive knows every flag).</summary>
    public short[] PrivateSessionLevels { get; private set; } = new short[InitialRows];

    public bool[] PrivateSession { get; private set; } = new bool[InitialRows];

    /// <summary>Each row's received_at definition level: 1 when known, 0 when null.</summary>
    public short[] ReceivedAtLevels { get; private set; } = new short[InitialRows];

    /// <summary>The receive times known, in row order (<see cref="ReceivedAtCount"/> of them).</summary>
    public long[] ReceivedAtMs { get; private set; } = new long[InitialRows];

    public int ReceivedAtCount { get; private set; }

    public int Count { get; private set; }

    /// <summary>Bytes of text room held (for tests: it stays the same across row groups of similar size).</summary>
    internal long TextCapacity => _text.Capacity;

    public void Add(in ArchivedPlay play)
    {
        if (Count == EventIds.Length)
        {
            Grow();
        }

        int row = Count++;
        EventIds[row] = _text.Add(play.EventId);
        TrackIds[row] = _text.Add(play.TrackId);
        IpLevels[row] = play.Ip.IsEmpty ? (short)0 : (short)1;
        if (!play.Ip.IsEmpty)
        {
            Ips[IpCount++] = _text.Add(play.Ip);
        }

        PlayedAtMs[row] = play.PlayedAtMs;
        PrivateSessionLevels[row] = 1;
        PrivateSession[row] = play.PrivateSession;
        ReceivedAtLevels[row] = play.ReceivedAtMs is null ? (short)0 : (short)1;
        if (play.ReceivedAtMs is long receivedAtMs)
        {
            ReceivedAtMs[ReceivedAtCount++] = receivedAtMs;
        }
    }

    /// <summary>Empties the rows, keeping the columns and the text chunks (the values written point into them no more).</summary>
    public void Clear()
    {
        Count = 0;
        IpCount = 0;
        ReceivedAtCount = 0;
        _text.Reset();
    }

    private void Grow()
    {
        int size = EventIds.Length * 2;
        EventIds = Resized(EventIds, size);
        TrackIds = Resized(TrackIds, size);
        IpLevels = Resized(IpLevels, size);
        Ips = Resized(Ips, size);
        PlayedAtMs = Resized(PlayedAtMs, size);
        PrivateSessionLevels = Resized(PrivateSessionLevels, size);
        PrivateSession = Resized(PrivateSession, size);
        ReceivedAtLevels = Resized(ReceivedAtLevels, size);
        ReceivedAtMs = Resized(ReceivedAtMs, size);
    }

    private static T[] Resized<T>(T[] array, int size)
    {
        Array.Resize(ref array, size);
        return array;
    }
}
