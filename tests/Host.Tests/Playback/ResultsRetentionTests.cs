using ListeningTogether.Host.Streaming;
using ListeningTogether.Replay.Output.Sinks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Host.Tests.Playback.PlaybackFiles;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary><c>Results:RetentionHours</c>: live minute files older than the retention go, newer ones and anything else stay.</summary>
public sealed class ResultsRetentionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task GivenMinuteFilesAroundTheRetention_WhenSwept_ThenOnlyTheOlderOnesAndTheirEmptyFoldersAreDeleted()
    {
        string root = _temp.Combine("results");
        await LiveAsync(root, [CoPlay(At(-26 * 60), "old"), CoPlay(At(-25 * 60 + 30), "old"), CoPlay(At(-23 * 60), "kept"), CoPlay(At(0), "kept")]);
        string temp = _temp.Write(Path.Combine("results", "dt=2026-11-25", "hour=13", "_coplays-20261125T1300.parquet.tmp"), "partial");
        string other = _temp.Write(Path.Combine("results", "notes.txt"), "not a minute file");
        var clock = new FakeTimeProvider(Base.AddMinutes(1));
        using var retention = new ResultsRetention(root, TimeSpan.FromHours(24), clock, NullLogger<ResultsRetention>.Instance);

        int deleted = retention.Sweep();

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(CoPlayMinuteFiles.PathOf(root, At(-26 * 60))));
        Assert.False(Directory.Exists(Path.GetDirectoryName(CoPlayMinuteFiles.PathOf(root, At(-26 * 60)))));
        Assert.True(File.Exists(CoPlayMinuteFiles.PathOf(root, At(-23 * 60))));
        Assert.True(File.Exists(CoPlayMinuteFiles.PathOf(root, At(0))));
        Assert.True(File.Exists(temp));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public async Task GivenTheRetentionService_WhenTimePassesASweepInterval_ThenFilesThatAgedOutMeanwhileAreDeleted()
    {
        string root = _temp.Combine("results");
        await LiveAsync(root, [CoPlay(At(0), "ages")]);
        var clock = new FakeTimeProvider(Base.AddHours(1).AddMinutes(-1));
        using var retention = new ResultsRetention(root, TimeSpan.FromHours(1), clock, NullLogger<ResultsRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
        Assert.True(File.Exists(CoPlayMinuteFiles.PathOf(root, At(0))));

        clock.Advance(ResultsRetention.SweepInterval);

        DateTime giveUp = DateTime.UtcNow + SiteHostPatience;
        while (File.Exists(CoPlayMinuteFiles.PathOf(root, At(0))) && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(20);
        }

        await retention.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(CoPlayMinuteFiles.PathOf(root, At(0))));
    }

    public void Dispose() => _temp.Dispose();

    private static TimeSpan SiteHostPatience => Web.SiteHost.Patience;
}
