using System.Buffers;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests;

/// <summary>DESIGN.md "Delivery": results sinks are idempotent on (windowStart, trackId), also across restarts.</summary>
public sealed class JsonlCoPlaySinkTests : IDisposable
{
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);

    private static readonly CoPlay First = new(1_795_701_802_000, "spotify:track:hello", 2, 2, Osaka, Lima, 15_466.5);
    private static readonly CoPlay SameTrackNextWindow = First with { WindowStartMs = 1_795_701_803_000 };
    private static readonly CoPlay OtherTrackSameWindow = First with { TrackId = "spotify:track:other" };

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
}
