using System.Buffers.Binary;
using System.IO.Hashing;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Plays appended since the last flush, already laid out as segment blocks: each block is an 8-byte header
/// (payload length and CRC-32 of the payload, little-endian) and at most about a mebibyte of records, so the
/// flusher writes a whole batch with one call. The headers are filled in by <see cref="Seal"/>.
/// </summary>
internal sealed class ArchiveBatch
{
    public const int BlockHeaderBytes = 8;

    /// <summary>A record that would start beyond this many payload bytes starts a new block.</summary>
    public const int BlockPayloadBytes = 1 << 20;

    private readonly List<int> _blockStarts = [];
    private byte[] _bytes = new byte[1 << 16];

    public int Length { get; private set; }

    public int Records { get; private set; }

    /// <summary>The archive position of the last play in the batch.</summary>
    public long Position { get; set; }

    /// <summary>Whether the flusher was already asked to take this batch early.</summary>
    public bool FlushRequested { get; set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public void Add(in ArchivedPlay play)
    {
        int max = ArchiveRecord.MaxLength(play);
        if (Records == 0 || Length - _blockStarts[^1] - BlockHeaderBytes >= BlockPayloadBytes)
        {
            EnsureRoom(BlockHeaderBytes + max);
            _blockStarts.Add(Length);
            Length += BlockHeaderBytes;
        }
        else
        {
            EnsureRoom(max);
        }

        Length += ArchiveRecord.Write(play, _bytes.AsSpan(Length));
        Records++;
    }

    /// <summary>Fills in every block header; <see cref="Bytes"/> is then ready to append to a segment.</summary>
    public void Seal()
    {
        for (int i = 0; i < _blockStarts.Count; i++)
        {
            int start = _blockStarts[i];
            int end = i + 1 < _blockStarts.Count ? _blockStarts[i + 1] : Length;
            Span<byte> block = _bytes.AsSpan(start, end - start);
            ReadOnlySpan<byte> payload = block[BlockHeaderBytes..];
            BinaryPrimitives.WriteInt32LittleEndian(block, payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(block[4..], Crc32.HashToUInt32(payload));
        }
    }

    public void Clear()
    {
        _blockStarts.Clear();
        Length = 0;
        Records = 0;
        Position = 0;
        FlushRequested = false;
    }

    private void EnsureRoom(int bytes)
    {
        if (_bytes.Length - Length < bytes)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes));
        }
    }
}
