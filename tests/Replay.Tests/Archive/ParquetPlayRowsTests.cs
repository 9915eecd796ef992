using System.Runtime.InteropServices;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;
using ByteArray = ParquetSharp.ByteArray;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// The archive writer's row buffers: UTF-8 text in pinned chunks kept from one row group to the next, and buffers kept from
/// one file to the next when a pool hands them out, without a row of an earlier group or file changing.
/// </summary>
public sealed class ParquetPlayRowsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenARowGroupOfManyChunks_WhenTheNextOneIsAsLarge_ThenItReusesTheChunksAndHoldsItsOwnText()
    {
        var rows = new ParquetPlayRows();
        AddMany(rows, "first", 5000);
        long capacity = rows.TextCapacity;
        Assert.True(capacity > 4 * 65536, $"{capacity} bytes of text room");

        rows.Clear();
        AddMany(rows, "again", 5000);

        Assert.Equal(capacity, rows.TextCapacity);
        Assert.Equal(5000, rows.Count);
        Assert.Equal("again-00000-" + new string('x', 40), Text(rows.EventIds[0]));
        Assert.Equal("again-04999-" + new string('x', 40), Text(rows.EventIds[4999]));
        Assert.Equal("10.0.249.24", Text(rows.Ips[4999]));
    }

    [Fact]
    public void GivenAValueLongerThanAChunk_WhenAdded_ThenItIsKeptWholeAsItsBytes()
    {
        var rows = new ParquetPlayRows();
        string id = new('é', 40_000);

        rows.Add(new ArchivedPlay(Encoding.UTF8.GetBytes(id), "spotify:track:t"u8, [], Hour14, true, Hour14 + 5));

        Assert.Equal(id, Text(rows.EventIds[0]));
        Assert.Equal("spotify:track:t", Text(rows.TrackIds[0]));
        Assert.Equal([0], rows.IpLevels[..1]);
        Assert.Equal(0, rows.IpCount);
        Assert.Equal([1], rows.ReceivedAtLevels[..1]);
        Assert.Equal([Hour14 + 5], rows.ReceivedAtMs[..1]);
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

    private static string Text(ByteArray value)
    {
        byte[] bytes = new byte[value.Length];
        Marshal.Copy(value.Pointer, bytes, 0, value.Length);
        return Encoding.UTF8.GetString(bytes);
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
