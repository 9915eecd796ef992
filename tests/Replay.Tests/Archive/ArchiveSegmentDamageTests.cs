using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// Damage in a write-ahead segment (a CRC or header that fails with a valid block after it, a wrong magic) is told
/// apart from a torn tail, and every valid block around it is still read.
/// </summary>
public sealed class ArchiveSegmentDamageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)] // the length
    [InlineData(3)] // the length's high byte
    [InlineData(5)] // the CRC
    [InlineData(8)] // the first record's flags
    [InlineData(20)] // inside a record
    public async Task GivenAByteFlippedInTheMiddleBlock_WhenRead_ThenTheBlocksAroundItAreReadAndItIsDamage(int offsetInBlock)
    {
        CrashedSegment segment = ThreeBlocks();
        segment.FlipByte(segment.BlockStarts[1] + offsetInBlock);

        Read read = await ReadAsync(segment.Path);

        Assert.Equal(["e1", "e2", "e4", "e5"], read.EventIds);
        Assert.Equal(segment.BlockStarts[1], read.DamagedFrom);
        Assert.Equal(segment.BlockStarts[2] - segment.BlockStarts[1], read.DamagedBytes);
        Assert.Equal(0, read.TornBytes);
    }

    [Fact]
    public async Task GivenGarbageBetweenTwoBlocks_WhenRead_ThenBothBlocksAreReadAndTheGarbageIsDamage()
    {
        CrashedSegment segment = CrashedSegment.Write(_temp.Path, Now, Hour14, ["e1"], ["e2"]);
        byte[] bytes = File.ReadAllBytes(segment.Path);
        byte[] garbage = Garbage(1000, seed: 7);
        int at = (int)segment.BlockStarts[1];
        segment.Overwrite([.. bytes[..at], .. garbage, .. bytes[at..]]);

        Read read = await ReadAsync(segment.Path);

        Assert.Equal(["e1", "e2"], read.EventIds);
        Assert.Equal((at, 1000L), (read.DamagedFrom, read.DamagedBytes));
    }

    [Fact]
    public async Task GivenAWrongMagic_WhenRead_ThenNothingIsReadAndTheWholeFileIsDamage()
    {
        CrashedSegment segment = ThreeBlocks();
        segment.FlipByte(2);

        Read read = await ReadAsync(segment.Path);

        Assert.Empty(read.EventIds);
        Assert.Equal((0L, new FileInfo(segment.Path).Length, 0L), (read.DamagedFrom, read.DamagedBytes, read.TornBytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task GivenASegmentCutInsideItsMagic_WhenRead_ThenNothingIsReadAndItIsDamage(int length)
    {
        CrashedSegment segment = ThreeBlocks();
        segment.CutTo(length);

        Read read = await ReadAsync(segment.Path);

        Assert.Empty(read.EventIds);
        Assert.Equal((0L, (long)length, 0L), (read.DamagedFrom, read.DamagedBytes, read.TornBytes));
    }

    [Fact]
    public async Task GivenRandomGarbageAfterTheMagic_WhenRead_ThenNothingIsReadAndItIsDamageNotATornTail()
    {
        CrashedSegment segment = ThreeBlocks();
        segment.Overwrite([.. ArchiveSegment.Magic, .. Garbage(64 << 10, seed: 13)]);

        Read read = await ReadAsync(segment.Path);

        Assert.Empty(read.EventIds);
        Assert.Equal(ArchiveSegment.Magic.Length, read.DamagedFrom);
        Assert.Equal(0, read.TornBytes);
    }

    [Fact]
    public async Task GivenSixteenMebibytesOfGarbageAfterTheMagic_WhenRead_ThenTheSearchForAValidBlockEndsWithinSeconds()
    {
        CrashedSegment segment = ThreeBlocks();
        segment.Overwrite([.. ArchiveSegment.Magic, .. Garbage(16 << 20, seed: 21)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Read read = await ReadAsync(segment.Path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(read.EventIds);
        Assert.Equal(16 << 20, read.DamagedBytes + read.TornBytes);
        Assert.Equal(ArchiveSegment.Magic.Length, read.DamagedFrom);
    }

    [Fact]
    public async Task GivenDamageInTheMiddleAndATornTail_WhenRead_ThenBothAreCountedApart()
    {
        CrashedSegment segment = ThreeBlocks();
        long length = new FileInfo(segment.Path).Length;
        segment.FlipByte(segment.BlockStarts[1] + 20);
        segment.CutTo(length - 3);

        Read read = await ReadAsync(segment.Path);

        Assert.Equal(["e1", "e2"], read.EventIds);
        Assert.Equal(segment.BlockStarts[1], read.DamagedFrom);
        Assert.Equal(segment.BlockStarts[2] - segment.BlockStarts[1], read.DamagedBytes);
        Assert.Equal(length - 3 - segment.BlockStarts[2], read.TornBytes);
    }

    [Fact]
    public async Task GivenRandomlyDamagedSegments_WhenRead_ThenEveryByteIsInAValidBlockTheDamageOrTheTornTail()
    {
        CrashedSegment segment = ThreeBlocks();
        byte[] valid = File.ReadAllBytes(segment.Path);
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            byte[] damaged = [.. valid];
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
            }

            segment.Overwrite(damaged[..random.Next(damaged.Length / 2, damaged.Length + 1)]);

            Read read = await ReadAsync(segment.Path);

            long length = new FileInfo(segment.Path).Length;
            long magic = read.DamagedFrom == 0 ? 0 : ArchiveSegment.Magic.Length;
            Assert.True(magic + read.BlockBytes + read.DamagedBytes + read.TornBytes == length, $"seed {seed}: {read} of {length} bytes");
        }
    }

    private static byte[] Garbage(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<Read> ReadAsync(string path)
    {
        var eventIds = new List<string>();
        long blockBytes = 0;
        await using ArchiveSegmentReader reader = ArchiveSegmentReader.Open(path);
        while (await reader.ReadBlockAsync(CancellationToken.None) is { } block)
        {
            blockBytes += ArchiveBatch.BlockHeaderBytes + block.Length;
            ReadOnlySpan<byte> records = block.Span;
            while (!records.IsEmpty)
            {
                Assert.True(ArchiveRecord.TryRead(records, out ArchivedPlay play, out int length));
                eventIds.Add(Encoding.UTF8.GetString(play.EventId));
                records = records[length..];
            }
        }

        return new Read(eventIds, blockBytes, reader.TornBytes, reader.DamagedBytes, reader.DamagedFrom);
    }

    private CrashedSegment ThreeBlocks() => CrashedSegment.Write(_temp.Path, Now, Hour14, ["e1", "e2"], ["e3"], ["e4", "e5"]);

    private sealed record Read(List<string> EventIds, long BlockBytes, long TornBytes, long DamagedBytes, long? DamagedFrom);
}
