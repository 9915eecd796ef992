using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Plays appended since the last flush, already laid out as segment blocks in pooled buffers of about a mebibyte:
/// each block is an 8-byte header (payload length and CRC-32 of the payload, little-endian) and the records. A
/// batch grows by whole blocks, never by copying, and <see cref="Clear"/> gives the buffers back.
/// </summary>
internal sealed class ArchiveBatch
{
    public const int BlockHeaderBytes = 8;

    /// <summary>The size of a block buffer (header included); a record that does not fit starts a new block.</summary>
    public const int BlockBytes = 1 << 20;

    private readonly List<byte[]> _blocks = [];
    private readonly List<int> _lengths = [];
    private byte[]? _current;
    private int _currentLength;

    /// <summary>Bytes of all blocks, headers included.</summary>
    public long Length { get; private set; }

    public int Records { get; private set; }

    /// <summary>The archive position of the last play in the batch.</summary>
    public long Position { get; set; }

    /// <summary>When the pipeline received the batch's first play (epoch ms), or null while it is empty.</summary>
    public long? FirstReceivedAtMs { get; private set; }

    /// <summary>Whether the flusher was already asked to take this batch early.</summary>
    public bool FlushRequested { get; set; }

    public void Add(in ArchivedPlay play)
    {
        int max = ArchiveRecord.MaxLength(play);
        if (_current is null || _current.Length - _currentLength < max)
        {
            StartBlock(max);
        }

        int written = ArchiveRecord.Write(play, _current.AsSpan(_currentLength));
        _currentLength += written;
        Length += written;
        Records++;
        FirstReceivedAtMs ??= play.ReceivedAtMs;
    }

    /// <summary>Fills in the block headers and writes every block to <paramref name="destination"/>.</summary>
    public void WriteTo(Stream destination)
    {
        EndBlock();
        for (int i = 0; i < _blocks.Count; i++)
        {
            Span<byte> block = _blocks[i].AsSpan(0, _lengths[i]);
            ReadOnlySpan<byte> payload = block[BlockHeaderBytes..];
            BinaryPrimitives.WriteInt32LittleEndian(block, payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(block[4..], Crc32.HashToUInt32(payload));
            destination.Write(block);
        }
    }

    public void Clear()
    {
        EndBlock();
        foreach (byte[] block in _blocks)
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _blocks.Clear();
        _lengths.Clear();
        Length = 0;
        Records = 0;
        Position = 0;
        FirstReceivedAtMs = null;
        FlushRequested = false;
    }

    private void StartBlock(int recordBytes)
    {
        EndBlock();
        _current = ArrayPool<byte>.Shared.Rent(Math.Max(BlockBytes, BlockHeaderBytes + recordBytes));
        _currentLength = BlockHeaderBytes;
        Length += BlockHeaderBytes;
    }

    private void EndBlock()
    {
        if (_current is not null)
        {
            _blocks.Add(_current);
            _lengths.Add(_currentLength);
            _current = null;
        }
    }
}
