using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>Plays written to one Parquet play file, in the order added.</summary>
public sealed class ParquetPlayFileOutput(string path) : IParquetPlayOutput
{
    private readonly PendingPlayFile _file = new(Path.GetFullPath(path));

    public long Rows { get; private set; }

    public bool Add(in ArchivedPlay play)
    {
        _file.Add(play);
        Rows++;
        return _file.Rows.Count >= ParquetPlayWriter.RowGroupRows;
    }

    public Task WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_file.Rows.Count >= ParquetPlayWriter.RowGroupRows)
        {
            _file.WriteRows(cancellationToken);
        }

        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => _file.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
