namespace ListeningTogether.Replay.Archive;

/// <summary>One row group's play columns, in buffers a worker reuses from row group to row group.</summary>
internal sealed class ParquetPlayColumns
{
    /// <summary><see cref="PlayedAtTicks"/> of a row without a value.</summary>
    public const long NoPlayedAt = long.MinValue;

    /// <summary><see cref="PlayedAtTicks"/> of a value too far from 1970 to count in ticks (out of range in any case).</summary>
    public const long FarPlayedAt = long.MaxValue;

    public Utf8Column EventIds { get; } = new();

    public Utf8Column TrackIds { get; } = new();

    public Utf8Column Ips { get; } = new();

    /// <summary>played_at as 100 ns ticks since the Unix epoch, floored; <see cref="NoPlayedAt"/> or <see cref="FarPlayedAt"/>.</summary>
    public long[] PlayedAtTicks { get; private set; } = [];

    public bool?[] PrivateSession { get; private set; } = [];

    public int Count { get; private set; }

    /// <summary>Makes room for <paramref name="rows"/> rows, all null (a column the file lacks stays null).</summary>
    public void Reset(int rows)
    {
        EventIds.Reset(rows);
        TrackIds.Reset(rows);
        Ips.Reset(rows);
        if (PlayedAtTicks.Length < rows)
        {
            PlayedAtTicks = new long[rows];
            PrivateSession = new bool?[rows];
        }

        PlayedAtTicks.AsSpan(0, rows).Fill(NoPlayedAt);
        PrivateSession.AsSpan(0, rows).Clear();
        Count = rows;
    }
}
