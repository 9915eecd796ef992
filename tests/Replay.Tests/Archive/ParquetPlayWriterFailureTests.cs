using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// A failed write of the archive writer's output is thrown as the output threw it: Parquet C++ would otherwise turn it
/// into its own exception with only text, and a full disk would no longer be told apart (DESIGN: reported as such,
/// retried by the streaming archive).
/// </summary>
public sealed class ParquetPlayWriterFailureTests
{
    private const int NoSpaceErrno = 28;

    [Fact]
    public void GivenAFullDisk_WhenARowGroupIsWritten_ThenTheDisksIOExceptionComesOutAsItWas()
    {
        var disk = new FullAfterStream(capacity: 4096);
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
        Assert.Equal(NoSpaceErrno, thrown.HResult);
    }

    /// <summary>A disk that takes <c>capacity</c> bytes and then fails every write as a full disk does.</summary>
    private sealed class FullAfterStream(int capacity) : MemoryStream
    {
        public IOException? Thrown { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            TakeRoom(buffer.Length);
            base.Write(buffer.ToArray(), 0, buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            TakeRoom(count);
            base.Write(buffer, offset, count);
        }

        private void TakeRoom(int count)
        {
            if (Length + count > capacity)
            {
                Thrown = new IOException("No space left on device", NoSpaceErrno);
                throw Thrown;
            }
        }
    }
}
