using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// A Parquet play file being written under a temporary name that starts with <c>_</c> (so replay never reads it)
/// in its final folder; <see cref="CompleteAsync"/> flushes it to the disk and renames it into place atomically.
/// Rows are buffered and written as row groups; the file is created with the first row group. The row buffers come
/// from a pool, when one is given, and go back to it once the file is completed or given up.
/// </summary>
internal sealed class PendingPlayFile : IAsyncDisposable
{
    public const string TempPrefix = "_tmp-";

    private readonly string _path;
    private readonly string _tempPath;
    private readonly ParquetPlayRowsPool? _pool;
    private FileStream? _stream;
    private ParquetPlayWriter? _writer;
    private bool _completed;
    private bool _rowsReturned;

    public PendingPlayFile(string path, ParquetPlayRowsPool? pool = null)
    {
        _path = path;
        _tempPath = Path.Combine(Path.GetDirectoryName(path)!, TempPrefix + Path.GetFileName(path));
        _pool = pool;
        Rows = pool?.Rent() ?? new ParquetPlayRows();
    }

    /// <summary>Rows waiting for the next row group.</summary>
    public ParquetPlayRows Rows { get; }

    public long Written { get; private set; }

    public void Add(in ArchivedPlay play) => Rows.Add(play);

    /// <summary>Writes the buffered rows as one row group (the file is created with the first).</summary>
    public void WriteRows(CancellationToken cancellationToken)
    {
        if (Rows.Count == 0)
        {
            return;
        }

        if (_writer is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_tempPath)!);
            _stream = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _writer = ParquetPlayWriter.Create(_stream);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _writer.WriteRowGroup(Rows);
        Written += Rows.Count;
        Rows.Clear();
    }

    /// <summary>Writes the rest and the footer, flushes to the disk and renames the file into place.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        WriteRows(cancellationToken);
        if (_writer is null || _stream is null)
        {
            _completed = true;
            ReturnRows();
            return;
        }

        _writer.Complete();
        _writer.Dispose();
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(_tempPath, _path, overwrite: true);
        _completed = true;
        ReturnRows();
    }

    /// <summary>After a failure: closes and deletes the temporary file; a completed file stays.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        try
        {
            _writer?.Dispose();
        }
        catch (Exception)
        {
            // The file is deleted below; the failure that got us here is the one to report.
        }

        if (_stream is not null)
        {
            try
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Flushing the rest failed too (no space, say): the file goes all the same.
            }

            File.Delete(_tempPath);
        }

        ReturnRows();
    }

    private void ReturnRows()
    {
        if (_pool is not null && !_rowsReturned)
        {
            _rowsReturned = true;
            _pool.Return(Rows);
        }
    }
}
