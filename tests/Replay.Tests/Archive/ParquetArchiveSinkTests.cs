using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// DESIGN.md "Archive durability" with a fake clock: plays are durable only once flushed (at least every FlushMs),
/// a segment rolls into hour-partitioned Parquet after RollSeconds, and what a crash leaves is converted at start-up
/// without anything partial becoming visible to replay.
/// </summary>
public sealed class ParquetArchiveSinkTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Hour14 + (30 * 60_000)));
    private readonly CancellationTokenSource _stop = new();
    private ParquetArchiveSink? _sink;
    private Task? _running;

    private string Root => _temp.Combine("archive");

    private string[] Segments => [.. ArchiveSegment.List(Root).Select(Path.GetFileName)!];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await StopAsync();

    public void Dispose()
    {
        _stop.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GivenAppendedPlays_WhenFlushMsHasNotPassed_ThenNoneIsDurable()
    {
        ParquetArchiveSink sink = Start();

        long position = Append(sink, "e1", Hour14);
        Append(sink, "e2", Hour14 + 1);
        await Task.Delay(200);

        Assert.Equal(2, sink.Position);
        Assert.Equal(1, position);
        Assert.Equal(0, sink.DurablePosition);
    }

    [Fact]
    public async Task GivenAppendedPlays_WhenFlushMsPasses_ThenTheyAreDurableInASegmentAndNotYetParquet()
    {
        ParquetArchiveSink sink = Start();
        Append(sink, "e1", Hour14);
        Append(sink, "e2", Hour14 + 1);

        await EventuallyAsync(() => sink.DurablePosition == 2, "both plays durable", advance: TimeSpan.FromMilliseconds(250));

        Assert.Single(Segments);
        Assert.Empty(VisibleFiles(Root));
    }

    [Fact]
    public async Task GivenWaitDurable_WhenCalled_ThenTheFlushHappensWithoutWaitingForFlushMs()
    {
        ParquetArchiveSink sink = Start();
        long position = Append(sink, "e1", Hour14);

        await sink.WaitDurableAsync(position, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.Equal(1, sink.DurablePosition);
    }

    [Fact]
    public async Task GivenADurableSegment_WhenRollSecondsPass_ThenItBecomesOneParquetFilePerUtcHourNamedAfterItAndIsDeleted()
    {
        ParquetArchiveSink sink = Start();
        Append(sink, "fourteen", Hour14 + 5, receivedAtMs: Hour14 + 30 * 60_000);
        Append(sink, "thirteen", Hour14 - 5, privateSession: true);
        Append(sink, "fifteen", Hour14 + Hour, ip: null);
        await EventuallyAsync(() => sink.DurablePosition == 3, "the plays durable", advance: TimeSpan.FromMilliseconds(250));
        string segment = Path.GetFileNameWithoutExtension(Assert.Single(Segments));

        await EventuallyAsync(() => Segments.Length == 0 && VisibleFiles(Root).Length == 3, "the roll", advance: TimeSpan.FromSeconds(30));

        Assert.Equal(
            [$"dt=2026-11-26/hour=13/{segment}.parquet", $"dt=2026-11-26/hour=14/{segment}.parquet", $"dt=2026-11-26/hour=15/{segment}.parquet"],
            VisibleFiles(Root));
        Assert.Equal(
            [new ArchiveRow("thirteen", "spotify:track:t", "81.2.69.142", At(Hour14 - 5), true, null)],
            await ReadAsync(Path.Combine(Root, "dt=2026-11-26", "hour=13", segment + ".parquet")));
        Assert.Equal(
            [new ArchiveRow("fourteen", "spotify:track:t", "81.2.69.142", At(Hour14 + 5), false, At(Hour14 + (30 * 60_000)))],
            await ReadAsync(Path.Combine(Root, "dt=2026-11-26", "hour=14", segment + ".parquet")));
        Assert.Equal(
            [new ArchiveRow("fifteen", "spotify:track:t", null, At(Hour14 + Hour), false, null)],
            await ReadAsync(Path.Combine(Root, "dt=2026-11-26", "hour=15", segment + ".parquet")));
    }

    [Fact]
    public async Task GivenAppendedPlays_WhenTheSinkStops_ThenTheyAreFlushedConvertedAndNoSegmentIsLeft()
    {
        ParquetArchiveSink sink = Start();
        Append(sink, "e1", Hour14);
        Append(sink, "e2", Hour14 + 1);

        await StopAsync();

        Assert.Equal(2, sink.DurablePosition);
        Assert.Empty(Segments);
        string file = Assert.Single(VisibleFiles(Root));
        Assert.Equal(["e1", "e2"], (await ReadAsync(Path.Combine(Root, file))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenSegmentsOverTheSizeLimit_WhenFlushed_ThenEachRollsIntoItsOwnFileAndNoPlayIsLostOrDoubled()
    {
        ParquetArchiveSink sink = Start(maxSegmentBytes: 1);
        for (int i = 0; i < 3; i++)
        {
            long position = Append(sink, "e" + i, Hour14 + i);
            await sink.WaitDurableAsync(position, CancellationToken.None).AsTask().WaitAsync(Patience);
        }

        await StopAsync();

        string[] files = VisibleFiles(Root);
        Assert.Equal(3, files.Length);
        var eventIds = new List<string>();
        foreach (string file in files)
        {
            eventIds.AddRange((await ReadAsync(Path.Combine(Root, file))).Select(r => r.EventId));
        }

        Assert.Equal(["e0", "e1", "e2"], eventIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenASegmentACrashLeftWithATornTail_WhenTheSinkStarts_ThenItsWholeBlocksBecomeParquetAndTheSegmentIsDeleted()
    {
        // A first run: two flushes, then the process dies in the middle of a third.
        string leftover = CrashAfterFlushes(["e1", "e2"], ["e3"]);
        using (var file = new FileStream(leftover, FileMode.Open))
        {
            file.SetLength(file.Length - 4);
        }

        Start();
        await EventuallyAsync(() => Segments.Length == 0, "the leftover converted");

        string converted = Assert.Single(VisibleFiles(Root));
        Assert.Equal($"dt=2026-11-26/hour=14/{Path.GetFileNameWithoutExtension(leftover)}.parquet", converted);
        Assert.Equal(["e1", "e2"], (await ReadAsync(Path.Combine(Root, converted))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenACrashWhileASegmentWasBeingConverted_WhenReplayLooks_ThenThePartialFileIsInvisibleAndTheRestartCompletesIt()
    {
        string leftover = CrashAfterFlushes(["e1", "e2"]);
        string name = Path.GetFileNameWithoutExtension(leftover) + ".parquet";
        await WriteHalfAParquetFileAsync(Path.Combine(Root, "dt=2026-11-26", "hour=14", PendingPlayFile.TempPrefix + name));

        Assert.Empty(VisibleFiles(Root));

        Start();
        await EventuallyAsync(() => Segments.Length == 0, "the leftover converted");

        Assert.Equal([$"dt=2026-11-26/hour=14/{name}"], AllFiles(Root).Where(f => !f.StartsWith("_segments", StringComparison.Ordinal)));
        Assert.Equal(["e1", "e2"], (await ReadAsync(Path.Combine(Root, "dt=2026-11-26", "hour=14", name))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenACrashAfterASegmentWasConvertedButBeforeItWasDeleted_WhenTheSinkStarts_ThenItsFileIsReplacedNotDoubled()
    {
        string leftover = CrashAfterFlushes(["e1", "e2"]);
        await ArchiveSegmentConverter.ConvertAsync(leftover, Root, CancellationToken.None);

        Start();
        await EventuallyAsync(() => Segments.Length == 0, "the leftover converted");

        string file = Assert.Single(VisibleFiles(Root));
        Assert.Equal(["e1", "e2"], (await ReadAsync(Path.Combine(Root, file))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenASegmentAnotherProcessIsStillWriting_WhenTheSinkStarts_ThenItIsLeftAlone()
    {
        using ArchiveSegmentWriter other = ArchiveSegmentWriter.Create(Root, _clock.GetUtcNow());

        Start();
        await StopAsync();

        Assert.Equal([Path.GetFileName(other.Path)], Segments);
        Assert.Empty(VisibleFiles(Root));
    }

    [Fact]
    public async Task GivenPartitionsOlderThanTheRetention_WhenTheSinkStarts_ThenTheyAreDeletedAndNewerOnesStay()
    {
        _temp.Write("archive/dt=2026-10-01/hour=00/old.parquet", "x");
        _temp.Write("archive/dt=2026-11-25/hour=00/recent.parquet", "x");

        Start();
        await EventuallyAsync(() => !Directory.Exists(Path.Combine(Root, "dt=2026-10-01")), "retention");

        Assert.Equal(["dt=2026-11-25/hour=00/recent.parquet"], AllFiles(Root));
    }

    [Fact]
    public async Task GivenTheSegmentFolderCannotBeCreated_WhenFlushing_ThenNothingIsDurableUntilItCanAndNoPlayIsLost()
    {
        _temp.Write("archive/_segments", "a file where the folder should be");
        ParquetArchiveSink sink = Start();
        Append(sink, "e1", Hour14);
        for (int i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        Assert.Equal(0, sink.DurablePosition);

        File.Delete(Path.Combine(Root, "_segments"));
        Append(sink, "e2", Hour14 + 1);
        await EventuallyAsync(() => sink.DurablePosition == 2, "both plays durable", advance: TimeSpan.FromMilliseconds(250));
        await StopAsync();

        string file = Assert.Single(VisibleFiles(Root));
        Assert.Equal(["e1", "e2"], (await ReadAsync(Path.Combine(Root, file))).Select(r => r.EventId));
    }

    private static DateTime At(long epochMs) => DateTime.UnixEpoch.AddMilliseconds(epochMs);

    private static async Task WriteHalfAParquetFileAsync(string path)
    {
        string whole = path + ".whole";
        await using (var output = new ParquetPlayFileOutput(whole))
        {
            Add(output, "partial", Hour14);
            await output.CompleteAsync(CancellationToken.None);
        }

        byte[] bytes = File.ReadAllBytes(whole);
        File.Delete(whole);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }

    private ParquetArchiveSink Start(long maxSegmentBytes = ParquetArchiveSink.DefaultMaxSegmentBytes)
    {
        var options = new ArchiveOptions { ParquetDir = Root, FlushMs = 1000, RollSeconds = 300, RetentionDays = 30 };
        _sink = new ParquetArchiveSink(options, _clock, NullLogger<ParquetArchiveSink>.Instance, maxSegmentBytes);
        _running = _sink.RunAsync(_stop.Token);
        return _sink;
    }

    private async Task StopAsync()
    {
        if (_running is { } running)
        {
            _running = null;
            await _stop.CancelAsync();
            await running.WaitAsync(Patience);
        }
    }

    /// <summary>Writes the given flushes to a segment the way a run that then crashed leaves it (never closed or converted).</summary>
    private string CrashAfterFlushes(params string[][] flushes)
    {
        using ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(Root, _clock.GetUtcNow());
        long at = Hour14;
        foreach (string[] eventIds in flushes)
        {
            var batch = new ArchiveBatch();
            var buffer = new FakeArchive(batch);
            foreach (string eventId in eventIds)
            {
                Append(buffer, eventId, at++);
            }

            writer.Write(batch);
        }

        return writer.Path;
    }

    private async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? advance = null)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            if (advance is { } step)
            {
                _clock.Advance(step);
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Collects appended plays into a batch, to lay out a segment by hand.</summary>
    private sealed class FakeArchive(ArchiveBatch batch) : IPlayArchive
    {
        public long Position { get; private set; }

        public long DurablePosition => 0;

        public long Append(in ArchivedPlay play)
        {
            batch.Add(play);
            return ++Position;
        }

        public ValueTask WaitDurableAsync(long position, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
