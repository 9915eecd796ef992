using System.Buffers;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Streaming.Tests.Results;

/// <summary>
/// A match shard on the results topic (DESIGN.md "One world view"): its co-plays carry the shard; a watermark
/// follows them once a window boundary is passed, announcing how many each newly completed window had; an idle shard
/// says so once a window, and a replica without a shard publishes no watermark.
/// </summary>
public sealed class ResultsPublisherSinkTests
{
    private const long T0 = 1_800_000_000_000;

    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingPublisher _topic = new();

    [Fact]
    public async Task GivenAWindowsCoPlays_WhenTheShardReportsPastIt_ThenTheWatermarkFollowsThemWithTheirCountRepeatedForTenSecondsAfterThat()
    {
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), new MatchShard(2, 3), 1000, _clock);

        await sink.ReportAsync(T0 + 500, idle: false, CancellationToken.None);
        await sink.WriteAsync([CoPlayOf(T0 + 1000, "a"), CoPlayOf(T0 + 1000, "b")], CancellationToken.None);
        await sink.ReportAsync(T0 + 2100, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 2900, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 3000, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 12_000, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 13_000, idle: false, CancellationToken.None);

        Assert.Equal(
            [
                $"watermark {T0 + 500} shard 2/3 idle False counts ",
                $"coplay {T0 + 1000} a shard 2",
                $"coplay {T0 + 1000} b shard 2",
                $"watermark {T0 + 2100} shard 2/3 idle False counts {T0 + 1000}=2",
                $"watermark {T0 + 3000} shard 2/3 idle False counts {T0 + 1000}=2",
                $"watermark {T0 + 12_000} shard 2/3 idle False counts {T0 + 1000}=2",
                $"watermark {T0 + 13_000} shard 2/3 idle False counts ",
            ],
            _topic.Messages);
    }

    [Fact]
    public async Task GivenWindowsOfMoreThanTenSecondsEmittedTogether_ThenTheirWatermarkAnnouncesEveryOneAndTheNextRepeatsThem()
    {
        // The end of a stream, or the catch-up after a stall: many windows, then one watermark past them all. A count
        // left out of it would tell sites that the shard had no co-play in that window.
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), new MatchShard(1, 3), 1000, _clock);

        await sink.ReportAsync(T0, idle: false, CancellationToken.None);
        for (int second = 0; second < 30; second++)
        {
            await sink.WriteAsync([CoPlayOf(T0 + (second * 1000), "a")], CancellationToken.None);
        }

        await sink.ReportAsync(T0 + 30_000, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 31_000, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 40_500, idle: false, CancellationToken.None);

        string[] watermarks = [.. _topic.Messages.Where(m => m.StartsWith("watermark", StringComparison.Ordinal))];
        string all = string.Join(",", Enumerable.Range(0, 30).Select(second => $"{T0 + (second * 1000)}=1"));
        Assert.Equal(
            [
                $"watermark {T0} shard 1/3 idle False counts ",
                $"watermark {T0 + 30_000} shard 1/3 idle False counts {all}",
                $"watermark {T0 + 31_000} shard 1/3 idle False counts {all}",
                $"watermark {T0 + 40_500} shard 1/3 idle False counts ",
            ],
            watermarks);
    }

    [Fact]
    public async Task GivenAnIdleShard_ThenItSaysSoOnceAWindowAtTheEndOfItsLatestWindow()
    {
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), new MatchShard(0, 1), 1000, _clock);

        await sink.ReportAsync(null, idle: true, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        await sink.ReportAsync(null, idle: true, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        await sink.ReportAsync(T0, idle: true, CancellationToken.None);

        Assert.Equal(["watermark 0 shard 0/1 idle True counts ", $"watermark {T0} shard 0/1 idle True counts "], _topic.Messages);
    }

    [Fact]
    public async Task GivenAWatermarkWithCounts_ThenTheNextIdleOneWaitsAWindow()
    {
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), new MatchShard(0, 1), 1000, _clock);

        await sink.WriteAsync([CoPlayOf(T0, "a")], CancellationToken.None);
        await sink.ReportAsync(T0 + 1000, idle: true, CancellationToken.None);
        await sink.ReportAsync(T0 + 1000, idle: true, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(1000));
        await sink.ReportAsync(T0 + 1000, idle: true, CancellationToken.None);

        Assert.Equal([$"coplay {T0} a shard 0", $"watermark {T0 + 1000} shard 0/1 idle False counts {T0}=1", $"watermark {T0 + 1000} shard 0/1 idle True counts "], _topic.Messages);
    }

    [Fact]
    public async Task GivenNoShard_ThenCoPlaysGoWithoutOneAndNoWatermarkIsPublished()
    {
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), null, 1000, _clock);

        await sink.WriteAsync([CoPlayOf(T0, "a")], CancellationToken.None);
        await sink.ReportAsync(T0 + 5000, idle: false, CancellationToken.None);

        Assert.Equal([$"coplay {T0} a shard -1"], _topic.Messages);
    }

    [Fact]
    public async Task GivenAReplicaOwningTwoOfFourPartitions_ThenEachCoPlayCarriesItsTracksShardAndEachOwnedShardGetsAWatermarkWithItsOwnCounts()
    {
        var partitions = new OwnedShards(4, owned: [1, 3], new Dictionary<string, int> { ["a"] = 1, ["b"] = 3, ["c"] = 3 });
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), partitions, 1000, _clock);

        await sink.WriteAsync([CoPlayOf(T0, "a"), CoPlayOf(T0, "b"), CoPlayOf(T0, "c")], CancellationToken.None);
        await sink.ReportAsync(T0 + 1000, idle: false, CancellationToken.None);

        // Load balancing moves partition 1 away and brings partition 0: spoken for from the next watermark on.
        partitions.Owned = [0, 3];
        await sink.ReportAsync(T0 + 2000, idle: false, CancellationToken.None);

        Assert.Equal(
            [
                $"coplay {T0} a shard 1",
                $"coplay {T0} b shard 3",
                $"coplay {T0} c shard 3",
                $"watermark {T0 + 1000} shard 1/4 idle False counts {T0}=1",
                $"watermark {T0 + 1000} shard 3/4 idle False counts {T0}=2",
                $"watermark {T0 + 2000} shard 0/4 idle False counts ",
                $"watermark {T0 + 2000} shard 3/4 idle False counts {T0}=2",
            ],
            _topic.Messages);
    }

    [Fact]
    public async Task GivenAReplicaThatDoesNotKnowThePartitionsYet_ThenItsCoPlaysGoWithoutShardAndNoWatermarkIsPublished()
    {
        var partitions = new OwnedShards(0, owned: [], []);
        var sink = new ResultsPublisherSink(_topic, new TextFormat(), partitions, 1000, _clock);

        await sink.WriteAsync([CoPlayOf(T0, "a")], CancellationToken.None);
        await sink.ReportAsync(T0 + 1000, idle: false, CancellationToken.None);
        await sink.ReportAsync(T0 + 1000, idle: true, CancellationToken.None);

        Assert.Equal([$"coplay {T0} a shard -1"], _topic.Messages);
    }

    private static CoPlay CoPlayOf(long windowStartMs, string trackId) =>
        new(windowStartMs, trackId, 2, 2, new Location(1, "Lisbon", "PT", 38.7, -9.1), new Location(2, "Tokyo", "JP", 35.7, 139.7), 11_000);

    /// <summary>A plain-text stand-in for the host's JSON format: what was published, readable in an assertion.</summary>
    [Fact]
    public async Task GivenATransportThatIsDown_WhenAWindowOrAWatermarkIsPublished_ThenTheWriteFailsNamingItSoTheSinksRetryAndOutageLimitApply()
    {
        var topic = new UnavailablePublisher("Pub/Sub topic 'projects/p/topics/results': Unavailable (down)");
        var sink = new ResultsPublisherSink(topic, new TextFormat(), new MatchShard(0, 1), 1000, _clock);

        Task write = sink.WriteAsync([CoPlayOf(T0 + 1000, "a")], CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => write.IsCompleted);
        Task report = sink.ReportAsync(T0 + 2100, idle: false, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => report.IsCompleted);

        Assert.Equal(topic.Problem, (await Assert.ThrowsAsync<TransportUnavailableException>(() => write)).Message);
        Assert.Equal(topic.Problem, (await Assert.ThrowsAsync<TransportUnavailableException>(() => report)).Message);
    }

    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
            _clock.Advance(TransportFlush.Poll);
        }

        Assert.True(condition(), "not within 500 polls");
    }

    private sealed class TextFormat : ICoPlayMessageFormat
    {
        public ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, CoPlay coPlay, int shard) =>
            Text(buffer, $"coplay {coPlay.WindowStartMs} {coPlay.TrackId} shard {shard}");

        public ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, ShardWatermark watermark) =>
            Text(buffer, $"watermark {watermark.WatermarkMs} shard {watermark.Shard}/{watermark.Shards} idle {watermark.Idle} counts {string.Join(",", watermark.Counts.Select(c => $"{c.Key}={c.Value}"))}");

        public bool TryRead(ReadOnlySpan<byte> payload, out ResultsMessage message) => throw new NotSupportedException();

        private static ReadOnlyMemory<byte> Text(ArrayBufferWriter<byte> buffer, string text)
        {
            int start = buffer.WrittenCount;
            buffer.Write(Encoding.UTF8.GetBytes(text));
            return buffer.WrittenMemory[start..];
        }
    }

    /// <summary>The partitions an Event Hubs match replica owns, as load balancing changes them.</summary>
    private sealed class OwnedShards(int count, IReadOnlyList<int> owned, Dictionary<string, int> shardOfTrack) : IMatchShards
    {
        public int Count => count;

        public IReadOnlyList<int> Owned { get; set; } = owned;

        public int ShardOf(string trackId) => shardOfTrack.GetValueOrDefault(trackId, IMatchShards.Unknown);
    }

    private sealed class RecordingPublisher : IKeyedPublisher
    {
        public List<string> Messages { get; } = [];

        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Messages.Add(Encoding.UTF8.GetString(payload.Span));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A transport that takes messages but never gets them through, and says so.</summary>
    private sealed class UnavailablePublisher(string problem) : IKeyedPublisher, IPublisherStatus
    {
        public string? Problem => problem;

        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => new(Task.Delay(Timeout.Infinite, cancellationToken));
    }
}
