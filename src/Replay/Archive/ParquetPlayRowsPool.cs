namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Row buffers kept from one Parquet play file to the next, for a writer that makes file after file (the archive
/// converts a segment every few minutes): a file's columns and character chunks, some 25 MB for a full row group,
/// are then allocated once rather than per file. Keeps at most <c>maxKept</c> spare buffers (a conversion that
/// spans an hour boundary writes two files at once; the second's buffers go back to the GC). Safe for concurrent use.
/// </summary>
internal sealed class ParquetPlayRowsPool(int maxKept = 1)
{
    private readonly Lock _gate = new();
    private readonly Stack<ParquetPlayRows> _spare = new();

    /// <summary>Spare buffers held now.</summary>
    public int Spare
    {
        get
        {
            lock (_gate)
            {
                return _spare.Count;
            }
        }
    }

    /// <summary>Empty rows: a spare one, or new.</summary>
    public ParquetPlayRows Rent()
    {
        lock (_gate)
        {
            if (_spare.TryPop(out ParquetPlayRows? rows))
            {
                return rows;
            }
        }

        return new ParquetPlayRows();
    }

    /// <summary>Hands back rows no longer in use (their file written or given up); they are emptied first.</summary>
    public void Return(ParquetPlayRows rows)
    {
        rows.Clear();
        lock (_gate)
        {
            if (_spare.Count < maxKept)
            {
                _spare.Push(rows);
            }
        }
    }
}
