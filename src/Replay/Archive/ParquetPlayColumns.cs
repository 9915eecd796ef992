namespace ListeningTogether.Replay.Archive;

/// <summary>One row group's play columns, in buffers a worker reuses from row group to row group.</summary>
internal sealed class ParquetPlayColumns
{
    public ReadOnlyMemory<char>?[] EventIds { get; private set; } = [];

    public ReadOnlyMemory<char>?[] TrackIds { get; private set; } = [];

    public ReadOnlyMemory<char>?[] Ips { get; private set; } = [];

    public DateTime?[] PlayedAt { get; private set; } = [];

    public bool?[] PrivateSession { get; private set; } = [];

    public int Count { get; private set; }

    /// <summary>Makes room for <paramref name="rows"/> rows, all null (a column the file lacks stays null).</summary>
    public void Reset(int rows)
    {
        if (EventIds.Length < rows)
        {
            EventIds = new ReadOnlyMemory<char>?[rows];
            TrackIds = new ReadOnlyMemory<char>?[rows];
            Ips = new ReadOnlyMemory<char>?[rows];
            PlayedAt = new DateTime?[rows];
            PrivateSession = new bool?[rows];
        }
        else
        {
            // Drop the previous row group's strings so they can be collected, and null the optional columns.
            int used = Math.Max(rows, Count);
            Array.Clear(EventIds, 0, used);
            Array.Clear(TrackIds, 0, used);
            Array.Clear(Ips, 0, used);
            Array.Clear(PlayedAt, 0, used);
            Array.Clear(PrivateSession, 0, used);
        }

        Count = rows;
    }
}
