using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests;

/// <summary>A failed write of a result file's output is thrown as the output threw it, not as Parquet C++'s text.</summary>
public sealed class CoPlayParquetWriterFailureTests
{
    private const long Nine = 1_795_683_600_000;
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);

    [Fact]
    public async Task GivenAFullDisk_WhenTheFileIsCompleted_ThenTheDisksIOExceptionComesOutAsItWas()
    {
        var disk = new FullDiskStream(capacity: 4096);
        CoPlay[] coPlays = [.. Enumerable.Range(0, 5000).Select(i => new CoPlay(Nine + (i * 1000L), $"spotify:track:{i:D6}", 2, 2, Osaka, Lima, 15_466.5))];

        IOException thrown = await Assert.ThrowsAsync<IOException>(async () =>
        {
            CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(disk, new Dictionary<string, string>(), CancellationToken.None);
            await using (writer)
            {
                await writer.WriteAsync(coPlays, CancellationToken.None);
                await writer.CompleteAsync(CancellationToken.None);
            }
        });

        Assert.Same(disk.Thrown, thrown);
        Assert.Equal(FullDiskStream.NoSpaceErrno, thrown.HResult);
    }
}
