namespace ListeningTogether.Replay.Spill;

/// <summary>
/// One worker's spilled plays, per time bucket: a write buffer each, starting small and doubling up to
/// <see cref="SpillMemory.BufferBytes"/> (so the many sparse buckets of a shuffled input spanning hours hold little),
/// handed to <see cref="SpillMemory"/> when full (or written to the bucket's file of this worker when the memory
/// budget is spent). At the end of each input part
/// the buckets it wrote are flushed (<see cref="EndPart"/>), so a bucket whose parts are all done can be matched
/// while this worker goes on with other buckets.
/// </summary>
internal sealed class SpillWriter : IDisposable
{
    private const int InitialBufferBytes = 4 * 1024;

    private readonly string _directory;
    private readonly int _worker;
    private readonly SpillMemory _memory;
    private readonly Dictionary<long, Bucket> _open = [];
    private readonly HashSet<long> _all = [];
    private readonly List<long> _partBuckets = [];

    public SpillWriter(string directory, int worker, SpillMemory memory)
    {
        _directory = directory;
        _worker = worker;
        _memory = memory;
    }

    /// <summary>Every bucket this worker has written to.</summary>
    public IEnumerable<long> Buckets => _all;

    public void Write(long bucket, long playedAtMs, int placeId, ReadOnlySpan<byte> trackId, ReadOnlySpan<byte> eventId)
    {
        if (!_open.TryGetValue(bucket, out Bucket? b))
        {
            b = new Bucket(bucket, this);
            _open.Add(bucket, b);
            _all.Add(bucket);
        }

        if (!b.InPart)
        {
            b.InPart = true;
            _partBuckets.Add(bucket);
        }

        int needed = SpillRecord.HeaderBytes + trackId.Length + eventId.Length;
        if (b.Used + needed > b.Buffer.Length)
        {
            b.MakeRoom(needed);
        }

        b.Used += SpillRecord.Write(b.Buffer.AsSpan(b.Used), playedAtMs, placeId, trackId, eventId);
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

    /// <summary>Lets go of buckets below <paramref name="bucket"/>: they are being (or have been) matched.</summary>
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

    private sealed class Bucket(long bucket, SpillWriter owner) : IDisposable
    {
        private FileStream? _file;

        public byte[] Buffer { get; private set; } = new byte[InitialBufferBytes];

        public int Used { get; set; }

        public bool InPart { get; set; }

        /// <summary>Room for a record of <paramref name="needed"/> bytes: a buffer twice as large, or, at full size, a flush.</summary>
        public void MakeRoom(int needed)
        {
            if (Buffer.Length >= SpillMemory.BufferBytes)
            {
                Flush();
                return;
            }

            int length = Math.Min(SpillMemory.BufferBytes, Math.Max(Buffer.Length * 2, Used + needed));
            byte[] larger = length == SpillMemory.BufferBytes ? owner._memory.RentBuffer() : new byte[length];
            Buffer.AsSpan(0, Used).CopyTo(larger);
            Buffer = larger;
        }

        /// <summary>Hands the buffered plays to memory (a mostly empty buffer as a copy of its bytes) or writes them to the file.</summary>
        public void Flush()
        {
            if (Used == 0)
            {
                return;
            }

            bool whole = Used >= Buffer.Length / 2;
            byte[] chunk = whole ? Buffer : Buffer.AsSpan(0, Used).ToArray();
            if (owner._memory.TryKeep(bucket, chunk, Used))
            {
                if (whole)
                {
                    Buffer = Buffer.Length == SpillMemory.BufferBytes ? owner._memory.RentBuffer() : new byte[Buffer.Length];
                }
            }
            else
            {
                // Readers open a bucket's file while this worker still holds it (with nothing more to write there).
                _file ??= new FileStream(SpillFiles.PathFor(owner._directory, bucket, owner._worker), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                _file.Write(Buffer, 0, Used);
            }

            Used = 0;
        }

        public void Dispose()
        {
            Flush();
            owner._memory.ReturnBuffer(Buffer);
            _file?.Dispose();
        }
    }
}
