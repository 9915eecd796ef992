using System.Text;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay.Tests.Spill;

public sealed class SpillWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1L << 30)]
    public void GivenRecordsOfManySizesInTwoBuckets_WhenTheirPartEnds_ThenEachBucketHoldsItsRecordsInOrderInItsFileOrInMemory(long memoryBudget)
    {
        var memory = new SpillMemory(memoryBudget);
        var expected = new Dictionary<long, List<byte>> { [3] = [], [4] = [] };
        byte[] record = new byte[1024];
        IReadOnlyList<long> written;
        using (var writer = new SpillWriter(_temp.Path, 0, memory))
        {
            for (int i = 0; i < 5000; i++)
            {
                // Bucket 4 gets a record now and then: its buffer stays small while bucket 3's grows and flushes.
                long bucket = i % 50 == 0 ? 4 : 3;
                byte[] trackId = Encoding.UTF8.GetBytes($"spotify:track:{new string('t', i % 90)}");
                byte[] eventId = Encoding.UTF8.GetBytes($"e{i}-{new string('x', i % 200)}");
                writer.Write(bucket, 1_000 + i, i % 7, trackId, eventId);
                expected[bucket].AddRange(record.AsSpan(0, SpillRecord.Write(record, 1_000 + i, i % 7, trackId, eventId)).ToArray());
            }

            written = writer.EndPart();
        }

        Assert.Equal([3L, 4L], written.Order());
        foreach ((long bucket, List<byte> bytes) in expected)
        {
            string file = SpillFiles.PathFor(_temp.Path, bucket, 0);
            byte[] onDisk = File.Exists(file) ? File.ReadAllBytes(file) : [];
            byte[] kept = [.. memory.Take(bucket).SelectMany(c => c.ToArray())];
            Assert.Equal(bytes, [.. onDisk, .. kept]);
            Assert.True(memoryBudget == 0 ? kept.Length == 0 : onDisk.Length == 0);
        }
    }
}
