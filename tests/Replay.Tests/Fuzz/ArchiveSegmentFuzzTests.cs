using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Replay.Tests.Fuzz;

/// <summary>
/// The write-ahead segment reader on mutated segments: every byte is a whole block, the magic, damage the reader
/// read around, or a torn tail, and a block whose CRC matches but whose records do not decode is refused record by
/// record, as the converter does (<see cref="InvalidDataException"/>); never another exception, a hang or a read
/// past the file.
/// </summary>
public sealed class ArchiveSegmentFuzzTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenMutatedSegmentsAndBlocksWithTheirCrcRecomputed_WhenRead_ThenEveryBlockIsWholeOrTheTailIsTorn()
    {
        byte[] segment = ValidSegment();
        string path = _temp.Combine("fuzzed.seg");
        var campaign = new FuzzCampaign("archive-segment", ciCases: 1500) { MaxAllocatedBytes = 4L << 20 };

        campaign.Run(
            random => random.Next(2) == 0 ? ByteMutator.Mutate(random, segment, [segment]) : MutateBlockPayload(random, segment),
            input =>
            {
                File.WriteAllBytes(path, input);
                long blockBytes = ReadAll(path, out long unreadBytes);
                Assert.Equal(input.Length, blockBytes + unreadBytes + (input.AsSpan().StartsWith(ArchiveSegment.Magic) ? ArchiveSegment.Magic.Length : 0));
            },
            e => e is InvalidDataException);
    }

    /// <summary>Reads every block and decodes its records; returns the bytes of the whole blocks read, headers included, and the damaged and torn bytes.</summary>
    private static long ReadAll(string path, out long unreadBytes)
    {
        var reader = ArchiveSegmentReader.Open(path);
        try
        {
            long read = 0;
            while (reader.ReadBlockAsync(CancellationToken.None).GetAwaiter().GetResult() is { } block)
            {
                read += ArchiveBatch.BlockHeaderBytes + block.Length;
                ReadOnlySpan<byte> records = block.Span;
                while (!records.IsEmpty)
                {
                    if (!ArchiveRecord.TryRead(records, out _, out int length) || length <= 0 || length > records.Length)
                    {
                        throw new InvalidDataException("A segment block holds a record that cannot be decoded.");
                    }

                    records = records[length..];
                }
            }

            unreadBytes = reader.DamagedBytes + reader.TornBytes;
            return read;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The segment with one block's payload mutated and its header's length and CRC made to match it.</summary>
    private static byte[] MutateBlockPayload(Random random, byte[] segment)
    {
        int headerAt = ArchiveSegment.Magic.Length;
        int length = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(headerAt));
        byte[] payload = ByteMutator.Mutate(random, segment.AsSpan(headerAt + ArchiveBatch.BlockHeaderBytes, length), [segment]);
        byte[] header = new byte[ArchiveBatch.BlockHeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Crc32.HashToUInt32(payload));
        return [.. segment.AsSpan(0, headerAt), .. header, .. payload, .. segment.AsSpan(headerAt + ArchiveBatch.BlockHeaderBytes + length)];
    }

    private byte[] ValidSegment()
    {
        string path;
        using (ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(_temp.Combine("archive"), Now))
        {
            for (int b = 0; b < 3; b++)
            {
                var batch = new ArchiveBatch();
                for (int i = 0; i < 20; i++)
                {
                    byte[] ip = i % 3 == 0 ? [] : Encoding.ASCII.GetBytes($"81.2.69.{i}");
                    batch.Add(new ArchivedPlay(Encoding.UTF8.GetBytes($"e{b}-{i}é"), Encoding.UTF8.GetBytes($"spotify:track:{i % 4}"), ip, 1_795_701_802_431 + i, i % 5 == 0, i % 2 == 0 ? 1_795_701_803_000 : null));
                }

                writer.Write(batch);
            }

            path = writer.Path;
        }

        return File.ReadAllBytes(path);
    }
}
