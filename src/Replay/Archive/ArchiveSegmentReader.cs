using System.Buffers.Binary;
using System.IO.Hashing;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Reads a write-ahead segment block by block. Reading stops at the first block that is cut short or fails its
/// CRC: that is the torn tail of a flush a crash interrupted, and none of its plays was acknowledged.
/// Opens the file exclusively, so a segment another process is still writing cannot be opened.
/// </summary>
internal sealed class ArchiveSegmentReader : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _header = new byte[ArchiveBatch.BlockHeaderBytes];
    private byte[] _block = new byte[1 << 16];

    private ArchiveSegmentReader(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Bytes after the last whole block (a torn tail), known once <see cref="ReadBlockAsync"/> returned null.</summary>
    public long TornBytes { get; private set; }

    public static ArchiveSegmentReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0, FileOptions.SequentialScan));

    /// <summary>The next whole block's records, valid until the next call; null at the end or at a torn tail.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReadBlockAsync(CancellationToken cancellationToken)
    {
        long start = _stream.Position;
        if (start == 0)
        {
            byte[] magic = new byte[ArchiveSegment.Magic.Length];
            if (await _stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < magic.Length
                || !ArchiveSegment.Magic.SequenceEqual(magic))
            {
                return Torn(0);
            }

            start = _stream.Position;
        }

        int read = await _stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        if (read < _header.Length || length <= 0 || length > _stream.Length - _stream.Position)
        {
            return Torn(start);
        }

        if (_block.Length < length)
        {
            _block = new byte[Math.Max(length, _block.Length * 2)];
        }

        Memory<byte> payload = _block.AsMemory(0, length);
        await _stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return Crc32.HashToUInt32(payload.Span) == BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4)) ? payload : Torn(start);
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private ReadOnlyMemory<byte>? Torn(long from)
    {
        TornBytes = _stream.Length - from;
        _stream.Seek(0, SeekOrigin.End);
        return null;
    }
}
