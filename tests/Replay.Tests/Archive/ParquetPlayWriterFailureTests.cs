using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// A failed write of the archive writer's output is thrown as the output threw it: Parquet C++ would otherwise turn it
/// into its own exception with only text, and a full disk would no longer be told apart (reported as such, retried by
/// the streaming archive).
/// </summary>
public sealed class ParquetPlayWriterFailureTests
{
    [Fact]
    public void GivenAFullDisk_WhenARowGroupIsWritten_ThenTheDisksIOExceptionComesOutAsItWas()
    {
        var disk = new FullDiskStream(capacity: 4096);
        var rows = new ParquetPlayRows();
        for (int i = 0; i < 20_000; i++)
        {
            rows.Add(new ArchivedPlay(Encoding.UTF8.GetBytes($"event-{i:D6}"), "spotify:track:t"u8, "10.0.0.1"u8.ToArray(), Hour14 + i, false, Hour14 + i + 5));
        }

        IOException thrown = Assert.Throws<IOException>(() =>
        {
            using ParquetPlayWriter writer = ParquetPlayWriter.Create(disk);
            writer.WriteRowGroup(rows);
            writer.Complete();
        });

        Assert.Same(disk.Thrown, thrown);
        Assert.Equal(FullDiskStream.NoSpaceErrno, thrown.HResult);
    }
}
