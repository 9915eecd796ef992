using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The rows of one Parquet play row group being built, as the column arrays the writer takes. Ids and ips are
/// transcoded into character chunks and sliced, so a row costs no string allocation. <see cref="Clear"/> keeps the
/// columns and the chunks for the next row group: a writer that goes on to another row group, or another file with
/// the same rows (see <see cref="ParquetPlayRowsPool"/>), allocates nothing more once they are large enough.
/// </summary>
internal sealed class ParquetPlayRows
{
    /// <summary>
    /// Characters per chunk: under the large object heap's threshold (85,000 bytes), so a row group's text never makes
    /// large arrays that only a full collection frees, however many rows it has.
    /// </summary>
    internal const int ChunkChars = 32 * 1024;

    private readonly List<char[]> _chunks = [new char[ChunkChars]];
    private int _chunk;
    private int _charsUsed;

    public ReadOnlyMemory<char>[] EventIds { get; private set; } = new ReadOnlyMemory<char>[256];

    public ReadOnlyMemory<char>[] TrackIds { get; private set; } = new ReadOnlyMemory<char>[256];

    public ReadOnlyMemory<char>?[] Ips { get; private set; } = new ReadOnlyMemory<char>?[256];

    public DateTime[] PlayedAt { get; private set; } = new DateTime[256];

    public bool?[] PrivateSession { get; private set; } = new bool?[256];

    public DateTime?[] ReceivedAt { get; private set; } = new DateTime?[256];

    public int Count { get; private set; }

    /// <summary>The character chunks held (for tests: they stay the same across row groups of similar size).</summary>
    internal int Chunks => _chunks.Count;

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

    /// <summary>Empties the rows, keeping the columns and the character chunks (and dropping references into them).</summary>
    public void Clear()
    {
        Array.Clear(EventIds, 0, Count);
        Array.Clear(TrackIds, 0, Count);
        Array.Clear(Ips, 0, Count);
        Count = 0;
        _chunk = 0;
        _charsUsed = 0;
    }

    private ReadOnlyMemory<char> Text(ReadOnlySpan<byte> utf8)
    {
        int max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (max > ChunkChars)
        {
            // Longer than any id or address can be: a value of its own.
            return Encoding.UTF8.GetString(utf8).AsMemory();
        }

        if (ChunkChars - _charsUsed < max)
        {
            // The rows so far keep pointing into the chunks before; the next one is reused if a larger row group made it.
            if (++_chunk == _chunks.Count)
            {
                _chunks.Add(new char[ChunkChars]);
            }

            _charsUsed = 0;
        }

        char[] chunk = _chunks[_chunk];
        int written = Encoding.UTF8.GetChars(utf8, chunk.AsSpan(_charsUsed));
        var text = new ReadOnlyMemory<char>(chunk, _charsUsed, written);
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
