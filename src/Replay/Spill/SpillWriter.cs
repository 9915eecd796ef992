namespace ListeningTogether.Replay.Spill;

/// <summary>
/// One worker's spill files, one per time bucket, each with its own small write buffer. At the end of each input
/// part the buckets it wrote are flushed (<see cref="EndPart"/>), so a bucket whose parts are all done can be read
/// while this worker goes on with other buckets.
/// </summary>
internal sealed class SpillWriter : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly string _directory;
    private readonly int _worker;
    private readonly Dictionary<long, Bucket> _open = [];
    private readonly HashSet<long> _all = [];
    private readonly List<long> _partBuckets = [];

    public SpillWriter(string directory, int worker)
    {
        _directory = directory;
        _worker = worker;
    }

    /// <summary>Every bucket this worker has written to.</summary>
    public IEnumerable<long> Buckets => _all;

    public void Write(long bucket, long playedAtMs, int cityRecord, ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId)
    {
        if (!_open.TryGetValue(bucket, out Bucket? b))
        {
            // Readers open a bucket's file while this worker still holds it (with nothing more to write there).
            var stream = new FileStream(SpillFiles.PathFor(_directory, bucket, _worker), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            b = new Bucket(stream);
            _open.Add(bucket, b);
            _all.Add(bucket);
        }

        if (!b.InPart)
        {
            b.InPart = true;
            _partBuckets.Add(bucket);
        }

        int needed = SpillRecord.HeaderBytes + trackId.Length + eventId.Length;
        if (b.Used + needed > BufferBytes)
        {
            b.Flush();
        }

        b.Used += SpillRecord.Write(b.Buffer.AsSpan(b.Used), playedAtMs, cityRecord, trackId, eventId);
    }

    /// <summary>Flushes the buckets written since the last call and returns them.</summary>
    public IReadOnlyList<long> EndPart()
    {
        long[] written = [.. _partBuckets];
        foreach (long bucket in written)
        {
            Bucket b = _open[bucket];
            b.Flush();
            b.InPart = false;
        }

        _partBuckets.Clear();
        return written;
    }

    /// <summary>Closes the files of buckets below <paramref name="bucket"/>: they are being (or have been) matched.</summary>
    public void CloseBelow(long bucket)
    {
        foreach (long done in _open.Keys.Where(k => k < bucket).ToList())
        {
            _open[done].Dispose();
            _open.Remove(done);
        }
    }

    public void Dispose()
    {
        foreach (Bucket b in _open.Values)
        {
            b.Dispose();
        }

        _open.Clear();
    }

    private sealed class Bucket(FileStream stream) : IDisposable
    {
        public byte[] Buffer { get; } = new byte[BufferBytes];

        public int Used { get; set; }

        public bool InPart { get; set; }

        public void Flush()
        {
            stream.Write(Buffer, 0, Used);
            Used = 0;
        }

        public void Dispose()
        {
            Flush();
            stream.Dispose();
        }
    }
}
