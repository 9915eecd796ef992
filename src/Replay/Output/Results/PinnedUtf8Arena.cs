using System.Runtime.InteropServices;
using System.Text;
using ByteArray = ParquetSharp.ByteArray;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// UTF-8 copies of strings in pinned chunks that never move, handed out as Parquet <see cref="ByteArray"/> values
/// (a pointer and a length) for a column writer; valid until <see cref="Reset"/>, which keeps the chunks for reuse.
/// </summary>
internal sealed class PinnedUtf8Arena
{
    private const int ChunkSize = 1 << 16;

    private readonly List<byte[]> _chunks = [];
    private readonly List<byte[]> _large = [];
    private int _chunk = -1;
    private int _used = ChunkSize;

    /// <summary>How many bytes the arena holds, used or not.</summary>
    public long Capacity => ((long)_chunks.Count * ChunkSize) + _large.Sum(l => (long)l.Length);

    public ByteArray Add(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);

        // An empty value still gets a byte of room, so its pointer points into a chunk.
        byte[] chunk = Room(Math.Max(1, length), out int offset);
        Encoding.UTF8.GetBytes(value, chunk.AsSpan(offset, length));
        return new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(chunk, offset), length);
    }

    /// <summary>A copy of UTF-8 bytes as they are (a value already UTF-8 is not decoded and encoded again).</summary>
    public ByteArray Add(ReadOnlySpan<byte> utf8)
    {
        byte[] chunk = Room(Math.Max(1, utf8.Length), out int offset);
        utf8.CopyTo(chunk.AsSpan(offset));
        return new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(chunk, offset), utf8.Length);
    }

    /// <summary>Forgets every value; the regular chunks stay for the next ones, a long value's own chunk goes.</summary>
    public void Reset()
    {
        _large.Clear();
        _chunk = -1;
        _used = ChunkSize;
    }

    private byte[] Room(int length, out int offset)
    {
        offset = 0;
        if (length > ChunkSize / 4)
        {
            byte[] own = GC.AllocateUninitializedArray<byte>(length, pinned: true);
            _large.Add(own);
            return own;
        }

        if (_used + length > ChunkSize)
        {
            if (++_chunk == _chunks.Count)
            {
                _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize, pinned: true));
            }

            _used = 0;
        }

        offset = _used;
        _used += length;
        return _chunks[_chunk];
    }
}
