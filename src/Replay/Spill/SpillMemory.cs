using System.Collections.Concurrent;

namespace ListeningTogether.Replay.Spill;

/// <summary>
/// Spilled plays kept in memory instead of spill files, per bucket, up to a byte budget shared by every worker.
/// When buckets are matched while the first pass still runs (time-ordered Parquet), their plays go from a worker's
/// buffer to the matcher without a round trip through the file system; when they all wait for the end (shuffled
/// input, JSONL), the budget fills and the rest goes to files, so memory stays bounded. Thread-safe.
/// </summary>
internal sealed class SpillMemory
{
    /// <summary>The size of a worker's write buffer for one bucket.</summary>
    public const int BufferBytes = 64 * 1024;

    private readonly long _budget;
    private readonly ConcurrentDictionary<long, ConcurrentQueue<ArraySegment<byte>>> _buckets = new();
    private readonly ConcurrentBag<byte[]> _free = [];
    private long _held;

    public SpillMemory(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        _budget = budgetBytes;
    }

    /// <summary>Bytes of the chunks kept now.</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>An empty write buffer of <see cref="BufferBytes"/>.</summary>
    public byte[] RentBuffer() => _free.TryTake(out byte[]? buffer) ? buffer : new byte[BufferBytes];

    /// <summary>
    /// Keeps the first <paramref name="length"/> bytes of <paramref name="chunk"/> for <paramref name="bucket"/>, taking
    /// the array, if the budget allows; otherwise returns false and the caller keeps (and writes out) its bytes.
    /// </summary>
    public bool TryKeep(long bucket, byte[] chunk, int length)
    {
        if (Interlocked.Add(ref _held, chunk.Length) > _budget)
        {
            Interlocked.Add(ref _held, -chunk.Length);
            return false;
        }

        _buckets.GetOrAdd(bucket, _ => new ConcurrentQueue<ArraySegment<byte>>()).Enqueue(new ArraySegment<byte>(chunk, 0, length));
        return true;
    }

    /// <summary>The chunks kept for a bucket (which then holds none); give each back with <see cref="Return"/> once read.</summary>
    public IReadOnlyList<ArraySegment<byte>> Take(long bucket) =>
        _buckets.TryRemove(bucket, out ConcurrentQueue<ArraySegment<byte>>? chunks) ? [.. chunks] : [];

    /// <summary>Takes back a write buffer that holds nothing (its bucket is done).</summary>
    public void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length == BufferBytes)
        {
            _free.Add(buffer);
        }
    }

    public void Return(ArraySegment<byte> chunk)
    {
        byte[] array = chunk.Array!;
        Interlocked.Add(ref _held, -array.Length);
        if (array.Length == BufferBytes)
        {
            _free.Add(array);
        }
    }
}
