namespace ListeningTogether.Replay.Archive;

/// <summary>
/// An open write-ahead segment: batches are appended as blocks and flushed to the disk before the call returns.
/// Opened with a shared lock, so a converter (which wants it exclusively) never takes a segment that is still written.
/// </summary>
internal sealed class ArchiveSegmentWriter : IDisposable
{
    private readonly FileStream _stream;

    private ArchiveSegmentWriter(string path, FileStream stream, DateTimeOffset openedAt)
    {
        Path = path;
        _stream = stream;
        OpenedAt = openedAt;
    }

    public string Path { get; }

    public DateTimeOffset OpenedAt { get; }

    public long Length => _stream.Length;

    public static ArchiveSegmentWriter Create(string root, DateTimeOffset openedAt)
    {
        string folder = ArchiveSegment.Folder(root);
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.Combine(folder, ArchiveSegment.NewName(openedAt) + ArchiveSegment.Extension);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            stream.Write(ArchiveSegment.Magic);
            stream.Flush(flushToDisk: true);
            return new ArchiveSegmentWriter(path, stream, openedAt);
        }
        catch
        {
            // A segment that could not get its header (a full disk) holds nothing: leave no empty file behind.
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Appends a batch's blocks and flushes them to the disk.</summary>
    public void Write(ArchiveBatch batch)
    {
        batch.WriteTo(_stream);
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();
}
