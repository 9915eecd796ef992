using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>Retention deletes hour partitions that ended more than RetentionDays ago, and nothing else.</summary>
public sealed class ArchiveRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenPartitionsAroundTheRetention_WhenApplied_ThenOnlyHoursThatEndedBeforeItAreDeletedWithTheirEmptyDays()
    {
        // 30 days before Now is 2026-10-27T14:30Z: hour 13 ended at 14:00 (gone), hour 14 ends at 15:00 (kept).
        _temp.Write("dt=2026-10-26/hour=23/a.parquet", "x");
        _temp.Write("dt=2026-10-27/hour=13/a.parquet", "x");
        _temp.Write("dt=2026-10-27/hour=14/a.parquet", "x");
        _temp.Write("dt=2026-11-26/hour=14/a.parquet", "x");

        int deleted = ArchiveRetention.Apply(_temp.Path, Now, retentionDays: 30);

        Assert.Equal(2, deleted);
        Assert.Equal(["dt=2026-10-27/hour=14/a.parquet", "dt=2026-11-26/hour=14/a.parquet"], ArchiveRows.AllFiles(_temp.Path));
        Assert.False(Directory.Exists(_temp.Combine("dt=2026-10-26")));
    }

    [Fact]
    public void GivenOldFoldersThatAreNotHourPartitions_WhenApplied_ThenTheyStay()
    {
        _temp.Write("dt=2020-01-01/notes.txt", "x");
        _temp.Write("dt=2020-01-01/hour=1/a.parquet", "x");
        _temp.Write("dt=2020-13-01/hour=01/a.parquet", "x");
        _temp.Write("old/dt=2020-01-01/hour=01/a.parquet", "x");
        _temp.Write("_segments/20200101T000000000Z-aaaaaaaa.seg", "x");

        int deleted = ArchiveRetention.Apply(_temp.Path, Now, retentionDays: 1);

        Assert.Equal(0, deleted);
        Assert.Equal(5, ArchiveRows.AllFiles(_temp.Path).Length);
    }

    [Fact]
    public void GivenADayWithAnOldAndAnUnknownEntry_WhenItsHourIsDeleted_ThenTheDayFolderStays()
    {
        _temp.Write("dt=2020-01-01/hour=00/a.parquet", "x");
        _temp.Write("dt=2020-01-01/README", "x");

        ArchiveRetention.Apply(_temp.Path, Now, retentionDays: 1);

        Assert.Equal(["dt=2020-01-01/README"], ArchiveRows.AllFiles(_temp.Path));
    }
}
