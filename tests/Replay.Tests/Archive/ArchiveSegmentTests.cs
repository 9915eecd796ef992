using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>The write-ahead segment format: what is appended reads back exactly, and a torn tail is dropped, never misread.</summary>
public sealed class ArchiveSegmentTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenPlaysOfEveryShape_WhenWrittenToASegmentAndReadBack_ThenEachFieldIsAsAppended()
    {
        string longIp = new('f', 300);
        string segment = WriteSegment(
            [
                [
                    new("e1", "spotify:track:東京", "81.2.69.142", Hour14 + 431, false, Hour14 + 500),
                    new("e2", "t", null, Hour14, true, null),
                    new(new string('x', 128), "t", longIp, 946_684_800_000, false, long.MaxValue),
                ],
            ]);

        (List<Play> plays, long torn) = await ReadSegmentAsync(segment);

        Assert.Equal(
            [
                new Play("e1", "spotify:track:東京", "81.2.69.142", Hour14 + 431, false, Hour14 + 500),
                new Play("e2", "t", null, Hour14, true, null),
                new Play(new string('x', 128), "t", longIp, 946_684_800_000, false, long.MaxValue),
            ],
            plays);
        Assert.Equal(0, torn);
    }

    [Fact]
    public async Task GivenABatchOfMoreThanAMebibyte_WhenWritten_ThenItIsSeveralBlocksAndEveryPlayReadsBack()
    {
        Play[] many = [.. Enumerable.Range(0, 30_000).Select(i => new Play("event-" + i, "spotify:track:" + (i % 97), "81.2.69." + (i % 250), Hour14 + i, false, null))];
        string segment = WriteSegment([many]);

        (List<Play> plays, long torn) = await ReadSegmentAsync(segment);

        Assert.True(new FileInfo(segment).Length > ArchiveBatch.BlockBytes, "the batch is smaller than a block");
        Assert.Equal(many, plays);
        Assert.Equal(0, torn);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    public async Task GivenASegmentCutShortInItsLastBlock_WhenRead_ThenTheWholeBlocksBeforeItAreReadAndTheTornOneIsDropped(int bytesCut)
    {
        string segment = WriteSegment(
            [
                [new("e1", "t", "81.2.69.142", Hour14, false, null), new("e2", "t", "81.2.69.142", Hour14 + 1, false, null)],
                [new("e3", "t", "81.2.69.142", Hour14 + 2, false, null)],
            ]);
        long length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - bytesCut);
        }

        (List<Play> plays, long torn) = await ReadSegmentAsync(segment);

        Assert.Equal(["e1", "e2"], plays.Select(p => p.EventId));
        Assert.True(torn > 0);
    }

    [Fact]
    public async Task GivenSegmentBlocksFollowedOnlyByZeroBytes_WhenRead_ThenTheZerosAreATornTail()
    {
        string segment = WriteSegment([[new("e1", "t", "81.2.69.142", Hour14, false, null)]]);
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length + 4096); // the file system kept a longer length than what was written
        }

        (List<Play> plays, long torn) = await ReadSegmentAsync(segment);

        Assert.Equal(["e1"], plays.Select(p => p.EventId));
        Assert.Equal(4096, torn);
    }

    [Fact]
    public async Task GivenALastBlockWhosePayloadWasNotWrittenOut_WhenRead_ThenItsCrcFailsAndItIsDropped()
    {
        string segment = WriteSegment(
            [
                [new("e1", "t", "81.2.69.142", Hour14, false, null)],
                [new("e2", "t", "81.2.69.142", Hour14 + 1, false, null)],
            ]);
        byte[] bytes = File.ReadAllBytes(segment);
        bytes.AsSpan(bytes.Length - 10).Clear(); // the file system kept the length but not the data
        File.WriteAllBytes(segment, bytes);

        (List<Play> plays, long torn) = await ReadSegmentAsync(segment);

        Assert.Equal(["e1"], plays.Select(p => p.EventId));
        Assert.True(torn > 0);
    }

    [Fact]
    public void GivenASegmentBeingWritten_WhenAConverterTriesToOpenIt_ThenItCannot()
    {
        using ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(_temp.Path, Now);

        Assert.Throws<IOException>(() => ArchiveSegmentReader.Open(writer.Path));
    }

    private string WriteSegment(IEnumerable<Play[]> batches)
    {
        using ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(_temp.Path, Now);
        foreach (Play[] plays in batches)
        {
            var batch = new ArchiveBatch();
            foreach (Play play in plays)
            {
                byte[] eventId = Encoding.UTF8.GetBytes(play.EventId), trackId = Encoding.UTF8.GetBytes(play.TrackId);
                byte[] ip = play.Ip is null ? [] : Encoding.UTF8.GetBytes(play.Ip);
                batch.Add(new ArchivedPlay(eventId, trackId, ip, play.PlayedAtMs, play.PrivateSession, play.ReceivedAtMs));
            }

            writer.Write(batch);
        }

        return writer.Path;
    }

    private static async Task<(List<Play> Plays, long TornBytes)> ReadSegmentAsync(string path)
    {
        var plays = new List<Play>();
        await using ArchiveSegmentReader reader = ArchiveSegmentReader.Open(path);
        while (await reader.ReadBlockAsync(CancellationToken.None) is { } block)
        {
            Decode(block.Span, plays);
        }

        Assert.Null(reader.DamagedFrom);
        return (plays, reader.TornBytes);
    }

    private static void Decode(ReadOnlySpan<byte> block, List<Play> plays)
    {
        while (!block.IsEmpty)
        {
            Assert.True(ArchiveRecord.TryRead(block, out ArchivedPlay play, out int length));
            plays.Add(new Play(
                Encoding.UTF8.GetString(play.EventId),
                Encoding.UTF8.GetString(play.TrackId),
                play.Ip.IsEmpty ? null : Encoding.UTF8.GetString(play.Ip),
                play.PlayedAtMs,
                play.PrivateSession,
                play.ReceivedAtMs));
            block = block[length..];
        }
    }

    private sealed record Play(string EventId, string TrackId, string? Ip, long PlayedAtMs, bool PrivateSession, long? ReceivedAtMs);
}
