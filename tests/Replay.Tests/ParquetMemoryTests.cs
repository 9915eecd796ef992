using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// The long-running Parquet writers' native memory pool is jemalloc, which ParquetSharp's native library for Linux
/// (where the service runs) has built in, not the system allocator it would fall back to, and the writers allocate from it.
/// </summary>
public sealed class ParquetMemoryTests
{
    [Fact]
    public async Task GivenALongRunningWriter_WhenItWritesAFile_ThenItsPoolIsJemallocAndHeldItsBuffers()
    {
        using var output = new MemoryStream();
        CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(output, new Dictionary<string, string>(), null, ParquetMemory.LongRunning, CancellationToken.None);
        await using (writer)
        {
            Location osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
            Location lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
            await writer.WriteAsync([new CoPlay(1_795_683_600_000, "spotify:track:a", 2, 2, lima, osaka, 15_466.5)], CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal("jemalloc", ParquetMemory.LongRunning.BackendName);
        Assert.True(ParquetMemory.LongRunning.MaxMemory > 0, "the writer allocated nothing from the pool");
        Assert.True(output.Length > 0);
    }
}
