using ListeningTogether.Abstractions.Options;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// A damaged write-ahead segment found at start: its readable plays are converted, it is moved to
/// <c>_segments/_damaged/</c> and named in one log line, and start-up goes on with the other segments. A torn tail
/// is a normal crash, and a conversion that fails on writing leaves the segment for a retry.
/// </summary>
public sealed class ParquetArchiveSinkDamageTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Earlier = DateTimeOffset.FromUnixTimeMilliseconds(Hour14 + (10 * 60_000));

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Hour14 + (30 * 60_000)));
    private readonly RecordingLogger<ParquetArchiveSink> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public enum Damage
    {
        ByteFlippedInTheMiddleBlock,
        BadMagic,
        MagicCutShort,
        ZeroBytes,
        RandomGarbage,
    }

    private string Root => _temp.Combine("archive");

    private string DamagedFolder => Path.Combine(Root, "_segments", "_damaged");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await StopAsync();

    public void Dispose()
    {
        _stop.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(Damage.ByteFlippedInTheMiddleBlock, new[] { "d1", "d2", "d4", "d5" })]
    [InlineData(Damage.BadMagic, new string[0])]
    [InlineData(Damage.MagicCutShort, new string[0])]
    [InlineData(Damage.ZeroBytes, new string[0])]
    [InlineData(Damage.RandomGarbage, new string[0])]
    public async Task GivenADamagedLeftoverSegment_WhenTheSinkStarts_ThenItsReadablePlaysAndTheOtherSegmentsAreConvertedItIsMovedAsideAndNamedOnce(Damage damage, string[] readable)
    {
        CrashedSegment damaged = CrashedSegment.Write(Root, Earlier, Hour14, ["d1", "d2"], ["d3"], ["d4", "d5"]);
        CrashedSegment good = CrashedSegment.Write(Root, _clock.GetUtcNow(), Hour14 + 10, ["g1", "g2"]);
        long unreadable = Apply(damage, damaged);

        ParquetArchiveSink sink = Start();
        // A segment is moved aside or deleted just before its line is logged.
        await EventuallyAsync(() => ArchiveSegment.List(Root).Count == 0 && _log.Naming(Path.GetFileNameWithoutExtension(damaged.Name)).Length > 0, "both leftovers handled");

        string[] archived = await ArchivedEventIdsAsync();
        Assert.Equal([.. readable, "g1", "g2"], archived);
        Assert.False(File.Exists(damaged.Path));
        Assert.Equal([damaged.Name], Directory.GetFiles(DamagedFolder).Select(Path.GetFileName));
        (LogLevel level, string message) = Assert.Single(_log.Naming(Path.GetFileNameWithoutExtension(damaged.Name)));
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains($"{readable.Length} plays converted, {unreadable} bytes could not be read", message, StringComparison.Ordinal);
        Assert.Contains($"_segments/_damaged/{damaged.Name}", message, StringComparison.Ordinal);

        // Start-up went on: the sink takes new plays.
        long position = Append(sink, "new", Hour14 + 20);
        await sink.WaitDurableAsync(position, CancellationToken.None).AsTask().WaitAsync(Patience);
        Assert.Equal(0, sink.Failures);
    }

    [Fact]
    public async Task GivenALeftoverSegmentWithATornTail_WhenTheSinkStarts_ThenItIsConvertedDeletedAndWarnedAboutNotMovedAside()
    {
        CrashedSegment torn = CrashedSegment.Write(Root, Earlier, Hour14, ["t1"], ["t2"]);
        torn.CutTo(new FileInfo(torn.Path).Length - 3);

        Start();
        await EventuallyAsync(() => ArchiveSegment.List(Root).Count == 0 && _log.Naming(Path.GetFileNameWithoutExtension(torn.Name)).Length == 2, "the leftover converted and its lines logged");

        Assert.Equal(["t1"], await ArchivedEventIdsAsync());
        Assert.False(Directory.Exists(DamagedFolder));
        Assert.Equal([LogLevel.Information, LogLevel.Warning], _log.Naming(Path.GetFileNameWithoutExtension(torn.Name)).Select(l => l.Level));
    }

    [Fact]
    public async Task GivenAConversionThatFailsOnWriting_WhenTheSinkStarts_ThenTheSegmentIsNotDamagedAndIsConvertedAtTheNextRoll()
    {
        CrashedSegment leftover = CrashedSegment.Write(Root, Earlier, Hour14, ["e1", "e2"]);
        string partition = _temp.Write("archive/dt=2026-11-26", "a file where the day's folder should be");

        ParquetArchiveSink sink = Start();
        await EventuallyAsync(() => sink.Failures == 1, "the failed conversion");

        Assert.Equal([leftover.Path], ArchiveSegment.List(Root));
        Assert.False(Directory.Exists(DamagedFolder));
        (LogLevel level, string message) = Assert.Single(_log.Naming(Path.GetFileNameWithoutExtension(leftover.Name)));
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains("tried again", message, StringComparison.Ordinal);

        File.Delete(partition);
        long position = Append(sink, "e3", Hour14 + 5);
        await sink.WaitDurableAsync(position, CancellationToken.None).AsTask().WaitAsync(Patience);
        await EventuallyAsync(() => ArchiveSegment.List(Root).Count == 0, "the roll and the retry", advance: TimeSpan.FromSeconds(30));

        Assert.Equal(["e1", "e2", "e3"], await ArchivedEventIdsAsync());
    }

    /// <summary>Damages the segment; returns how many of its bytes can no longer be read.</summary>
    private static long Apply(Damage damage, CrashedSegment segment)
    {
        long length = new FileInfo(segment.Path).Length;
        switch (damage)
        {
            case Damage.ByteFlippedInTheMiddleBlock:
                segment.FlipByte(segment.BlockStarts[1] + 20);
                return segment.BlockStarts[2] - segment.BlockStarts[1];
            case Damage.BadMagic:
                segment.FlipByte(0);
                return length;
            case Damage.MagicCutShort:
                segment.CutTo(5);
                return 5;
            case Damage.ZeroBytes:
                segment.CutTo(0);
                return 0;
            default:
                byte[] garbage = new byte[4096];
                new Random(42).NextBytes(garbage);
                segment.Overwrite(garbage);
                return garbage.Length;
        }
    }

    private async Task<string[]> ArchivedEventIdsAsync()
    {
        var eventIds = new List<string>();
        foreach (string file in VisibleFiles(Root))
        {
            eventIds.AddRange((await ReadAsync(Path.Combine(Root, file))).Select(r => r.EventId));
        }

        return [.. eventIds.Order(StringComparer.Ordinal)];
    }

    private ParquetArchiveSink Start()
    {
        var options = new ArchiveOptions { ParquetDir = Root, FlushMs = 1000, RollSeconds = 300, RetentionDays = 30 };
        var sink = new ParquetArchiveSink(options, _clock, _log);
        _running = sink.RunAsync(_stop.Token);
        return sink;
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

    private async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? advance = null)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.False(_running is { IsFaulted: true }, "the sink stopped");
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
}
