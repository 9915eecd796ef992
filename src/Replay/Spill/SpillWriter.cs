namespace ListeningTogether.Replay.Spill;

/// <summary>One worker's spill files, one per time bucket, each with its own small write buffer.</summary>
internal sealed class SpillWriter : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly string _directory;
    private readonly int _worker;
    private readonly Dictionary<long, Bucket> _buckets = [];

    public SpillWriter(string directory, int worker)
    {
        _directory = directory;
        _worker = worker;
    }

    public IEnumerable<long> Buckets => _buckets.Keys;

    public void Write(long bucket, long playedAtMs, int cityRecord, ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId)
    {
        if (!_buckets.TryGetValue(bucket, out Bucket? b))
        {
            b = new Bucket(new FileStream(SpillFiles.PathFor(_directory, bucket, _worker), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1));
            _buckets.Add(bucket, b);
        }

        int needed = SpillRecord.HeaderBytes + trackId.Length + eventId.Length;
        if (b.Used + needed > BufferBytes)
        {
            b.Flush();
        }

        b.Used += SpillRecord.Write(b.Buffer.AsSpan(b.Used), playedAtMs, cityRecord, trackId, eventId);
    }

    public void Dispose()
    {
        foreach (Bucket b in _buckets.Values)
        {
            b.Flush();
            b.Stream.Dispose();
        }
    }

    private sealed class Bucket(FileStream stream)
    {
        public FileStream Stream { get; } = stream;

        public byte[] Buffer { get; } = new byte[BufferBytes];

        public int Used { get; set; }

        public void Flush()
        {
            Stream.Write(Buffer, 0, Used);
            Used = 0;
        }
    }
}
