using System.Buffers;
using System.Text;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// DESIGN.md "Streaming semantics": results sinks are idempotent on (windowStart, trackId), also across restarts; a
/// window emitted again replaces, never duplicates, its row.
/// </summary>
public sealed class JsonlCoPlaySinkTests : IDisposable
{
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);

    private static readonly CoPlay First = new(1_795_701_802_000, "spotify:track:hello", 2, 2, Osaka, Lima, 15_466.5);
    private static readonly CoPlay SameTrackNextWindow = First with { WindowStartMs = 1_795_701_803_000 };
    private static readonly CoPlay OtherTrackSameWindow = First with { TrackId = "spotify:track:other" };
    private static readonly CoPlay FirstWithMorePlays = First with { Plays = 3 };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Line(CoPlay coPlay)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CoPlayJsonl.Write(buffer, coPlay);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task GivenTheSameCoPlayTwiceInOneBatchAndAgainLater_WhenWritten_ThenItIsInTheFileOnce()
    {
        string path = _temp.Combine("results", "coplays.jsonl");

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First, First], CancellationToken.None);
            await sink.WriteAsync([First], CancellationToken.None);
        }

        Assert.Equal(Line(First), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenCoPlaysDifferingOnlyInWindowOrOnlyInTrack_WhenWritten_ThenEachIsKept()
    {
        string path = _temp.Combine("coplays.jsonl");

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First, SameTrackNextWindow, OtherTrackSameWindow], CancellationToken.None);
        }

        Assert.Equal(Line(First) + Line(SameTrackNextWindow) + Line(OtherTrackSameWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAFileFromAnEarlierRun_WhenReopenedAndTheSameWindowIsEmittedAgain_ThenItIsNotDuplicatedAndNewOnesAreAppended()
    {
        string path = _temp.Combine("coplays.jsonl");
        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First], CancellationToken.None);
        }

        using (var restarted = new JsonlCoPlaySink(path))
        {
            await restarted.WriteAsync([First, SameTrackNextWindow], CancellationToken.None);
        }

        Assert.Equal(Line(First) + Line(SameTrackNextWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAFileWhoseLastLineWasTornByACrash_WhenReopenedAndWritten_ThenTheNewCoPlayIsAWholeLineOfItsOwn()
    {
        string path = _temp.Combine("coplays.jsonl");
        string torn = Line(SameTrackNextWindow)[..40];
        File.WriteAllText(path, Line(First) + torn);

        using (var restarted = new JsonlCoPlaySink(path))
        {
            await restarted.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
        }

        string[] lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        Assert.Equal(Line(First).TrimEnd('\n'), lines[0]);
        Assert.Contains(Line(OtherTrackSameWindow).TrimEnd('\n'), lines);
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public async Task GivenAnEmptyBatch_WhenWritten_ThenTheFileExistsAndIsEmpty()
    {
        string path = _temp.Combine("coplays.jsonl");

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([], CancellationToken.None);
        }

        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task GivenConcurrentWriters_WhenTheSameCoPlaysAreWrittenFromManyTasks_ThenEachIsInTheFileOnce()
    {
        string path = _temp.Combine("coplays.jsonl");
        CoPlay[] coPlays = [.. Enumerable.Range(0, 50).Select(i => First with { WindowStartMs = First.WindowStartMs + (i * 1000L) })];

        using (var sink = new JsonlCoPlaySink(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                foreach (CoPlay coPlay in coPlays)
                {
                    await sink.WriteAsync([coPlay], CancellationToken.None);
                }
            })));
        }

        Assert.Equal(coPlays.Select(Line).Order(StringComparer.Ordinal), File.ReadAllText(path, Encoding.UTF8).Split('\n')[..^1].Select(l => l + "\n").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenAWindowReEmittedWithADifferentCoPlay_WhenWritten_ThenItsLastRowIsTheNewOneAndOnDisposeTheFileHoldsOnlyItWhereTheKeyFirstWas()
    {
        string path = _temp.Combine("coplays.jsonl");

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
            await sink.WriteAsync([FirstWithMorePlays], CancellationToken.None);

            Assert.Equal(Line(First) + Line(OtherTrackSameWindow) + Line(FirstWithMorePlays), ReadWhileOpen(path));
        }

        Assert.Equal(Line(FirstWithMorePlays) + Line(OtherTrackSameWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAKeyEmittedTwiceDifferentlyInOneBatch_WhenWritten_ThenTheLaterCoPlayIsItsRow()
    {
        string path = _temp.Combine("coplays.jsonl");

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First, FirstWithMorePlays, SameTrackNextWindow], CancellationToken.None);
        }

        Assert.Equal(Line(FirstWithMorePlays) + Line(SameTrackNextWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAnIdenticalReEmit_WhenWrittenAfterARestart_ThenNotOneByteIsWritten()
    {
        string path = _temp.Combine("coplays.jsonl");
        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
        }

        DateTime written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddMinutes(-5));
        using (var restarted = new JsonlCoPlaySink(path))
        {
            await restarted.WriteAsync([OtherTrackSameWindow, First], CancellationToken.None);

            Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(path));
        }

        Assert.Equal(Line(First) + Line(OtherTrackSameWindow), File.ReadAllText(path, Encoding.UTF8));
        Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task GivenAFileACrashLeftWithSupersededRowsAndATornLine_WhenReopened_ThenItIsCompactedAtOnceAndTheTornLineIsGone()
    {
        string path = _temp.Write("coplays.jsonl", Line(First) + Line(OtherTrackSameWindow) + Line(FirstWithMorePlays) + Line(SameTrackNextWindow)[..40]);
        string leftover = _temp.Write(".coplays.jsonl.compacting", Line(First)[..10]);

        using (var restarted = new JsonlCoPlaySink(path))
        {
            Assert.Equal(Line(FirstWithMorePlays) + Line(OtherTrackSameWindow), ReadWhileOpen(path));
            Assert.False(File.Exists(leftover));

            await restarted.WriteAsync([FirstWithMorePlays, SameTrackNextWindow], CancellationToken.None);
        }

        Assert.Equal(Line(FirstWithMorePlays) + Line(OtherTrackSameWindow) + Line(SameTrackNextWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenLinesThatAreNotCoPlays_WhenTheFileIsCompacted_ThenTheyAreKeptWhereTheyWere()
    {
        string path = _temp.Write("coplays.jsonl", Line(First) + "not json\n" + "\n" + Line(OtherTrackSameWindow));

        using (var sink = new JsonlCoPlaySink(path))
        {
            await sink.WriteAsync([FirstWithMorePlays], CancellationToken.None);
        }

        Assert.Equal(Line(FirstWithMorePlays) + "not json\n" + "\n" + Line(OtherTrackSameWindow), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAWindowReEmittedWithADifferentCoPlayWithinTheKeyHorizon_WhenLaterWindowsWereWritten_ThenItsRowIsReplacedAsBefore()
    {
        string path = _temp.Combine("coplays.jsonl");
        CoPlay tenSecondsLater = First with { WindowStartMs = First.WindowStartMs + 10_000 };

        using (var sink = new JsonlCoPlaySink(path, keyHorizon: TimeSpan.FromSeconds(10)))
        {
            await sink.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
            await sink.WriteAsync([SameTrackNextWindow, tenSecondsLater], CancellationToken.None);
            await sink.WriteAsync([FirstWithMorePlays, OtherTrackSameWindow], CancellationToken.None);

            Assert.Equal(Line(First) + Line(OtherTrackSameWindow) + Line(SameTrackNextWindow) + Line(tenSecondsLater) + Line(FirstWithMorePlays), ReadWhileOpen(path));
        }

        Assert.Equal(Line(FirstWithMorePlays) + Line(OtherTrackSameWindow) + Line(SameTrackNextWindow) + Line(tenSecondsLater), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAnIdenticalReEmitWithinTheKeyHorizonAfterARestart_WhenWritten_ThenNotOneByteIsWritten()
    {
        string path = _temp.Combine("coplays.jsonl");
        CoPlay tenSecondsLater = First with { WindowStartMs = First.WindowStartMs + 10_000 };
        using (var sink = new JsonlCoPlaySink(path, keyHorizon: TimeSpan.FromSeconds(10)))
        {
            await sink.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
            await sink.WriteAsync([tenSecondsLater], CancellationToken.None);
        }

        long length = new FileInfo(path).Length;
        using (var restarted = new JsonlCoPlaySink(path, keyHorizon: TimeSpan.FromSeconds(10)))
        {
            await restarted.WriteAsync([OtherTrackSameWindow, First], CancellationToken.None);
            await restarted.WriteAsync([tenSecondsLater], CancellationToken.None);

            Assert.Equal(length, new FileInfo(path).Length);
        }

        Assert.Equal(Line(First) + Line(OtherTrackSameWindow) + Line(tenSecondsLater), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAWindowReEmittedBeyondTheKeyHorizon_WhenWritten_ThenItIsAppendedAndTheLastRowWinsAndOnDisposeTheFileHoldsOneRowPerKey()
    {
        string path = _temp.Combine("coplays.jsonl");
        CoPlay elevenSecondsLater = First with { WindowStartMs = First.WindowStartMs + 11_000 };

        using (var sink = new JsonlCoPlaySink(path, keyHorizon: TimeSpan.FromSeconds(10)))
        {
            await sink.WriteAsync([First, OtherTrackSameWindow], CancellationToken.None);
            await sink.WriteAsync([elevenSecondsLater], CancellationToken.None);
            await sink.WriteAsync([OtherTrackSameWindow, FirstWithMorePlays], CancellationToken.None);

            Assert.Equal(Line(First) + Line(OtherTrackSameWindow) + Line(elevenSecondsLater) + Line(OtherTrackSameWindow) + Line(FirstWithMorePlays), ReadWhileOpen(path));
        }

        Assert.Equal(Line(FirstWithMorePlays) + Line(OtherTrackSameWindow) + Line(elevenSecondsLater), File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public async Task GivenAnHourOfWindows_WhenWritten_ThenOnlyTheKeysOfTheLastMinuteAreRemembered()
    {
        using var sink = new JsonlCoPlaySink(_temp.Combine("coplays.jsonl"), keyHorizon: TimeSpan.FromSeconds(60));
        for (long second = 0; second < 3600; second++)
        {
            long windowStartMs = First.WindowStartMs + (second * 1000);
            await sink.WriteAsync([First with { WindowStartMs = windowStartMs }, OtherTrackSameWindow with { WindowStartMs = windowStartMs }], CancellationToken.None);
        }

        Assert.Equal(2 * 61, sink.RememberedKeys);
    }

    [Fact]
    public async Task GivenAFileOfAnHourOfWindows_WhenReopened_ThenOnlyTheKeysOfItsLastMinuteAreRemembered()
    {
        string path = _temp.Write("coplays.jsonl", string.Concat(Enumerable.Range(0, 3600).Select(s => Line(First with { WindowStartMs = First.WindowStartMs + (s * 1000L) }))));

        using var sink = new JsonlCoPlaySink(path, keyHorizon: TimeSpan.FromSeconds(60));

        Assert.Equal(61, sink.RememberedKeys);
    }

    /// <summary>
    /// Any script of batches (keys from two windows and two tracks, each in three versions) and restarts: while the
    /// sink runs the file is exactly the rows that differ from their key's latest, appended in order; after each
    /// restart and at the end it is one row per key, its latest, in the order keys first appeared.
    /// </summary>
    [Property(MaxTest = 60)]
    public async Task GivenAnyBatchesAndRestarts_WhenWritten_ThenTheFileIsTheChangedRowsAppendedAndAfterEachRestartTheLatestRowPerKey(byte[][] script)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("coplays.jsonl");
        var expected = new List<CoPlay>();
        var sink = new JsonlCoPlaySink(path);
        try
        {
            foreach (byte[] step in script.Where(s => s is not null))
            {
                if (step is [>= 240, ..])
                {
                    sink.Dispose();
                    Compact(expected);
                    sink = new JsonlCoPlaySink(path);
                }
                else
                {
                    CoPlay[] batch = [.. step.Select(Version)];
                    await sink.WriteAsync(batch, CancellationToken.None);
                    foreach (CoPlay coPlay in batch)
                    {
                        if (expected.LastOrDefault(c => SameKey(c, coPlay)) != coPlay)
                        {
                            expected.Add(coPlay);
                        }
                    }
                }

                Assert.Equal(string.Concat(expected.Select(Line)), ReadWhileOpen(path));
            }
        }
        finally
        {
            sink.Dispose();
        }

        Compact(expected);
        Assert.Equal(string.Concat(expected.Select(Line)), File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>One of four keys (two windows, two tracks) in one of three versions.</summary>
    private static CoPlay Version(byte b) => new(
        First.WindowStartMs + (b % 4 / 2 * 1000L),
        b % 2 == 0 ? "spotify:track:hello" : "spotify:track:other",
        2 + (b / 4 % 3),
        2,
        Osaka,
        Lima,
        15_466.5);

    private static bool SameKey(CoPlay a, CoPlay b) => a.WindowStartMs == b.WindowStartMs && a.TrackId == b.TrackId;

    /// <summary>The model of compaction: each key once, in the place it first appeared, holding its latest co-play.</summary>
    private static void Compact(List<CoPlay> rows)
    {
        CoPlay[] compacted = [.. rows.Where((row, i) => rows.FindIndex(r => SameKey(r, row)) == i).Select(row => rows.Last(r => SameKey(r, row)))];
        rows.Clear();
        rows.AddRange(compacted);
    }

    /// <summary>Reads the file as a live reader would, sharing it with the sink that has it open.</summary>
    private static string ReadWhileOpen(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
