using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// The archive writer's row buffers: text in small chunks kept from one row group to the next, and buffers kept from
/// one file to the next when a pool hands them out, without a row of an earlier group or file changing.
/// </summary>
public sealed class ParquetPlayRowsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenARowGroupOfManyChunks_WhenTheNextOneIsAsLarge_ThenItReusesTheChunksAndReadsBackItsOwnText()
    {
        var rows = new ParquetPlayRows();
        AddMany(rows, "first", 5000);
        int chunks = rows.Chunks;
        Assert.True(chunks > 10, $"{chunks} chunks");

        rows.Clear();
        AddMany(rows, "again", 5000);

        Assert.Equal(chunks, rows.Chunks);
        Assert.Equal(5000, rows.Count);
        Assert.Equal("again-00000-" + new string('x', 40), rows.EventIds[0].ToString());
        Assert.Equal("again-04999-" + new string('x', 40), rows.EventIds[4999].ToString());
        Assert.Equal("10.0.249.24", rows.Ips[4999]!.Value.ToString());
    }

    [Fact]
    public void GivenAValueLongerThanAChunk_WhenAdded_ThenItReadsBackWhole()
    {
        var rows = new ParquetPlayRows();
        string id = new('é', ParquetPlayRows.ChunkChars);

        rows.Add(new ArchivedPlay(Encoding.UTF8.GetBytes(id), "spotify:track:t"u8, "81.2.69.142"u8, Hour14, false, null));

        Assert.Equal(id, rows.EventIds[0].ToString());
        Assert.Equal("spotify:track:t", rows.TrackIds[0].ToString());
    }

    [Fact]
    public void GivenRowsHandedBack_WhenRowsAreAskedForAgain_ThenThePoolGivesTheSameOnesEmptyAndKeepsNoMoreThanItsBound()
    {
        var pool = new ParquetPlayRowsPool(maxKept: 1);
        ParquetPlayRows first = pool.Rent();
        ParquetPlayRows second = pool.Rent();
        AddMany(first, "e", 10);

        pool.Return(first);
        pool.Return(second);

        Assert.Equal(1, pool.Spare);
        ParquetPlayRows again = pool.Rent();
        Assert.Same(first, again);
        Assert.Equal(0, again.Count);
        Assert.Equal(0, pool.Spare);
    }

    [Fact]
    public async Task GivenFilesOfSeveralRowGroupsWrittenOneAfterTheOther_WhenTheyShareAPool_ThenEveryRowOfEachReadsBackAsWritten()
    {
        const int plays = ParquetPlayWriter.RowGroupRows + 1500;
        string root = _temp.Combine("archive");
        var pool = new ParquetPlayRowsPool();
        foreach (string name in (string[])["a", "b"])
        {
            await using var output = new HourPartitionedPlayOutput(root, name + ".parquet", pool);
            for (int i = 0; i < plays; i++)
            {
                if (Add(output, $"{name}-{i:D6}", Hour14 + i, ip: $"10.0.{i % 250}.{i % 199}"))
                {
                    await output.WriteBufferedAsync(CancellationToken.None);
                }
            }

            await output.CompleteAsync(CancellationToken.None);
            Assert.Equal(1, pool.Spare);
        }

        foreach (string name in (string[])["a", "b"])
        {
            List<ArchiveRow> rows = await ReadAsync(Path.Combine(root, "dt=2026-11-26", "hour=14", name + ".parquet"));
            Assert.Equal(plays, rows.Count);
            Assert.Equal(Enumerable.Range(0, plays).Select(i => $"{name}-{i:D6}"), rows.Select(r => r.EventId));
            Assert.Equal(Enumerable.Range(0, plays).Select(i => $"10.0.{i % 250}.{i % 199}"), rows.Select(r => r.Ip));
        }
    }

    [Fact]
    public async Task GivenAFileGivenUp_WhenItsOutputIsDisposed_ThenItsRowsGoBackToThePool()
    {
        var pool = new ParquetPlayRowsPool();
        await using (var output = new HourPartitionedPlayOutput(_temp.Combine("archive"), "part.parquet", pool))
        {
            Add(output, "e1", Hour14);
        }

        Assert.Equal(1, pool.Spare);
    }

    private static void AddMany(ParquetPlayRows rows, string prefix, int count)
    {
        string padding = new('x', 40);
        for (int i = 0; i < count; i++)
        {
            rows.Add(new ArchivedPlay(
                Encoding.UTF8.GetBytes($"{prefix}-{i:D5}-{padding}"),
                Encoding.UTF8.GetBytes($"spotify:track:{i % 97:D22}"),
                Encoding.UTF8.GetBytes($"10.0.{i % 250}.{i % 199}"),
                Hour14 + i,
                false,
                null));
        }
    }
}
