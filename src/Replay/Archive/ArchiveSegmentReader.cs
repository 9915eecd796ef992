using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Reads a write-ahead segment block by block; a block is valid when its header's length fits in the file, its
/// CRC matches and its payload is whole records. What is not valid is one of two things:
/// <list type="bullet">
/// <item>a <b>torn tail</b>, the flush a crash interrupted: the file ends inside the last block's header, inside
/// its payload or exactly at its end with the CRC failing (the file system kept the length but not the data), or
/// only zero bytes are left. The header of a block cut short must be one the writer could write: a length of at
/// most <see cref="ArchiveBatch.BlockBytes"/> and a record's flags after it. None of its plays was acknowledged;
/// <see cref="TornBytes"/> counts it.</item>
/// <item><b>damage</b>: a wrong or missing magic (nothing of the segment is read), or an invalid block with a valid
/// one after it. Reading goes on at the next valid block, found by trying every byte offset after the bad one (a
/// false match needs a CRC-32 to agree and the payload to decode as records); <see cref="DamagedBytes"/> counts
/// what was skipped. Resynchronisation only finds blocks of at most <see cref="ArchiveBatch.BlockBytes"/>, the
/// size the writer uses unless a single record is larger.</item>
/// </list>
/// Opens the file exclusively, so a segment another process is still writing cannot be opened.
/// </summary>
internal sealed class ArchiveSegmentReader : IAsyncDisposable
{
    private const int ScanChunkBytes = 64 << 10;
    private const int MaxResyncPayload = ArchiveBatch.BlockBytes - ArchiveBatch.BlockHeaderBytes;

    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly byte[] _header = new byte[ArchiveBatch.BlockHeaderBytes];
    private byte[] _block = new byte[1 << 16];
    private byte[]? _scan;
    private long _position = -1;

    private ArchiveSegmentReader(SafeFileHandle file)
    {
        _file = file;
        _length = RandomAccess.GetLength(file);
    }

    /// <summary>Bytes of a torn tail, known once <see cref="ReadBlockAsync"/> returned null.</summary>
    public long TornBytes { get; private set; }

    /// <summary>Bytes of damage that were skipped, known once <see cref="ReadBlockAsync"/> returned null.</summary>
    public long DamagedBytes { get; private set; }

    /// <summary>The offset of the first damage, or null when the segment is not damaged (a torn tail is not damage).</summary>
    public long? DamagedFrom { get; private set; }

    public static ArchiveSegmentReader Open(string path) =>
        new(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.None, FileOptions.SequentialScan));

    /// <summary>The next valid block's records, valid until the next call; null at the end.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReadBlockAsync(CancellationToken cancellationToken)
    {
        if (_position < 0)
        {
            _position = ArchiveSegment.Magic.Length;
            if (!await HasMagicAsync(cancellationToken).ConfigureAwait(false))
            {
                Damaged(0, _length);
                _position = _length;
            }
        }

        while (_position < _length)
        {
            if (await TryReadBlockAsync(_position, _length, cancellationToken).ConfigureAwait(false) is int payloadLength)
            {
                _position += ArchiveBatch.BlockHeaderBytes + payloadLength;
                return _block.AsMemory(0, payloadLength);
            }

            long bad = _position;
            if (await FindNextBlockAsync(bad + 1, cancellationToken).ConfigureAwait(false) is long next)
            {
                Damaged(bad, next - bad);
                _position = next;
            }
            else
            {
                // Damage can be followed by a torn tail: then the bad block's own length says where the tail starts.
                long tail = await IsTornTailAsync(bad, cancellationToken).ConfigureAwait(false) ? bad
                    : await DeclaredEndAsync(bad, cancellationToken).ConfigureAwait(false) is long end && end < _length && await IsTornTailAsync(end, cancellationToken).ConfigureAwait(false) ? end
                    : _length;
                if (tail > bad)
                {
                    Damaged(bad, tail - bad);
                }

                TornBytes = _length - tail;
                _position = _length;
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsWholeRecords(ReadOnlySpan<byte> payload)
    {
        while (!payload.IsEmpty)
        {
            if (!ArchiveRecord.TryRead(payload, out _, out int length))
            {
                return false;
            }

            payload = payload[length..];
        }

        return true;
    }

    private void Damaged(long from, long bytes)
    {
        DamagedFrom ??= from;
        DamagedBytes += bytes;
    }

    private async Task<bool> HasMagicAsync(CancellationToken cancellationToken)
    {
        byte[] magic = new byte[ArchiveSegment.Magic.Length];
        return await ReadAtAsync(magic, 0, cancellationToken).ConfigureAwait(false) == magic.Length && ArchiveSegment.Magic.SequenceEqual(magic);
    }

    /// <summary>Reads the block at <paramref name="offset"/> into <see cref="_block"/>; its payload length, or null when it is not valid.</summary>
    private async Task<int?> TryReadBlockAsync(long offset, long maxPayload, CancellationToken cancellationToken)
    {
        if (await ReadAtAsync(_header, offset, cancellationToken).ConfigureAwait(false) < _header.Length)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        if (length <= 0 || length > maxPayload || length > _length - offset - _header.Length)
        {
            return null;
        }

        if (_block.Length < length)
        {
            _block = new byte[Math.Max(length, _block.Length * 2)];
        }

        Memory<byte> payload = _block.AsMemory(0, length);
        if (await ReadAtAsync(payload, offset + _header.Length, cancellationToken).ConfigureAwait(false) < length)
        {
            return null;
        }

        return Crc32.HashToUInt32(payload.Span) == BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4)) && IsWholeRecords(payload.Span)
            ? length
            : null;
    }

    /// <summary>The offset of the first valid block at or after <paramref name="from"/>, or null when there is none.</summary>
    private async Task<long?> FindNextBlockAsync(long from, CancellationToken cancellationToken)
    {
        _scan ??= new byte[ScanChunkBytes + ArchiveBatch.BlockHeaderBytes];
        for (long chunkStart = from; chunkStart <= _length - ArchiveBatch.BlockHeaderBytes - 1; chunkStart += ScanChunkBytes)
        {
            int read = await ReadAtAsync(_scan, chunkStart, cancellationToken).ConfigureAwait(false);
            for (int i = NextPlausibleHeader(read, 0, chunkStart); i >= 0; i = NextPlausibleHeader(read, i + 1, chunkStart))
            {
                if (await TryReadBlockAsync(chunkStart + i, MaxResyncPayload, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return chunkStart + i;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The first index from <paramref name="start"/> in the scan chunk where a block header could be: a length that
    /// fits and a record's flags after it, cheap checks before the CRC; -1 when there is none.
    /// </summary>
    private int NextPlausibleHeader(int read, int start, long chunkStart)
    {
        ReadOnlySpan<byte> scan = _scan.AsSpan(0, read);
        int end = Math.Min(ScanChunkBytes, read - ArchiveBatch.BlockHeaderBytes);
        for (int i = start; i < end; i++)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(scan[i..]);
            if (length > 0 && length <= MaxResyncPayload && length <= _length - chunkStart - i - ArchiveBatch.BlockHeaderBytes
                && ArchiveRecord.IsFlags(scan[i + ArchiveBatch.BlockHeaderBytes]))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<bool> IsTornTailAsync(long offset, CancellationToken cancellationToken)
    {
        long left = _length - offset;
        if (left < _header.Length)
        {
            return true;
        }

        // A header the writer could have written, for a block the file ends inside or at the end of.
        byte[] start = new byte[_header.Length + 1];
        int read = await ReadAtAsync(start, offset, cancellationToken).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32LittleEndian(start);
        bool cutShort = length is > 0 and <= MaxResyncPayload && length >= left - _header.Length
            && (read == _header.Length || ArchiveRecord.IsFlags(start[_header.Length]));
        return cutShort || await IsAllZeroAsync(offset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the block at <paramref name="offset"/> ends by its header's length, or null when that is no length.</summary>
    private async Task<long?> DeclaredEndAsync(long offset, CancellationToken cancellationToken)
    {
        await ReadAtAsync(_header, offset, cancellationToken).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        return length > 0 ? offset + _header.Length + length : null;
    }

    private async Task<bool> IsAllZeroAsync(long offset, CancellationToken cancellationToken)
    {
        _scan ??= new byte[ScanChunkBytes + ArchiveBatch.BlockHeaderBytes];
        while (offset < _length)
        {
            int read = await ReadAtAsync(_scan, offset, cancellationToken).ConfigureAwait(false);
            if (_scan.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }

            offset += read;
        }

        return true;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> as far as the file goes; the bytes read.</summary>
    private async Task<int> ReadAtAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await RandomAccess.ReadAsync(_file, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
