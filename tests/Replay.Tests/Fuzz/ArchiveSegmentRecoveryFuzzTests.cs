using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Replay.Tests.Fuzz;

/// <summary>
/// A valid write-ahead segment of several blocks with bits flipped or cut short, where what must come back is known:
/// every block the damage did not touch is read, byte for byte and in order, and the touched bytes are reported
/// (as damage, or as a torn tail when they end the file); a segment cut short is its whole blocks and a torn tail.
/// </summary>
public sealed class ArchiveSegmentRecoveryFuzzTests : IDisposable
{
    private const int MaxFlips = 3;

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenASegmentWithBitsFlippedOrCutShort_WhenRead_ThenEveryUntouchedBlockIsReadAndTheRestReported()
    {
        CrashedSegment valid = CrashedSegment.Write(_temp.Combine("archive"), Now, 1_795_701_802_431, Flushes(new Random(5)));
        byte[] segment = File.ReadAllBytes(valid.Path);
        (long Start, long End)[] blocks = [.. valid.BlockStarts.Select((start, i) => (start, i + 1 < valid.BlockStarts.Length ? valid.BlockStarts[i + 1] : segment.Length))];
        string path = _temp.Combine("damaged.seg");
        var campaign = new FuzzCampaign("archive-segment-recovery", ciCases: 600) { MaxAllocatedBytes = null };

        campaign.Run(
            random => random.Next(3) == 0 ? segment[..random.Next(segment.Length + 1)] : FlipBits(random, segment),
            async input =>
            {
                await File.WriteAllBytesAsync(path, input);
                await AssertRecoveredAsync(path, segment, input, blocks);
            },
            _ => false);
    }

    private static async Task AssertRecoveredAsync(string path, byte[] segment, byte[] damaged, (long Start, long End)[] blocks)
    {
        (List<byte[]> read, long damagedBytes, long tornBytes) = await ReadBlocksAsync(path);
        bool magicIntact = damaged.AsSpan().StartsWith(ArchiveSegment.Magic);
        var untouched = blocks.Where(b => magicIntact && b.End <= damaged.Length && damaged.AsSpan((int)b.Start, (int)(b.End - b.Start)).SequenceEqual(segment.AsSpan((int)b.Start, (int)(b.End - b.Start)))).ToList();

        Assert.Equal(untouched.Select(b => Convert.ToHexString(segment.AsSpan((int)b.Start + ArchiveBatch.BlockHeaderBytes, (int)(b.End - b.Start) - ArchiveBatch.BlockHeaderBytes))), read.Select(Convert.ToHexString));
        long untouchedBytes = untouched.Sum(b => b.End - b.Start);
        Assert.Equal(damaged.Length - untouchedBytes - (magicIntact ? ArchiveSegment.Magic.Length : 0), damagedBytes + tornBytes);
        if (damaged.Length <= segment.Length && segment.AsSpan().StartsWith(damaged))
        {
            // Cut short: a crash, never damage (unless the cut leaves no whole magic).
            Assert.Equal(magicIntact ? 0 : damaged.Length, damagedBytes);
        }
    }

    private static async Task<(List<byte[]> Blocks, long DamagedBytes, long TornBytes)> ReadBlocksAsync(string path)
    {
        await using var reader = ArchiveSegmentReader.Open(path);
        var blocks = new List<byte[]>();
        while (await reader.ReadBlockAsync(CancellationToken.None) is { } block)
        {
            blocks.Add(block.ToArray());
        }

        return (blocks, reader.DamagedBytes, reader.TornBytes);
    }

    private static byte[] FlipBits(Random random, byte[] segment)
    {
        byte[] flipped = [.. segment];
        for (int i = random.Next(1, MaxFlips + 1); i > 0; i--)
        {
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
        }

        return flipped;
    }

    /// <summary>Six flushes of 1 to 30 plays: blocks of different lengths.</summary>
    private static string[][] Flushes(Random random) =>
        [.. Enumerable.Range(0, 6).Select(f => Enumerable.Range(0, random.Next(1, 31)).Select(i => $"e{f}-{i}").ToArray())];
}
