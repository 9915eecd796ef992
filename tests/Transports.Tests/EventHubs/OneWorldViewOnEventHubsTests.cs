using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Streaming.Site;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.InMemory;
using ListeningTogether.Transports.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// Issue 15's acceptance on Event Hubs (DESIGN.md "One world view"): the example's plays go through ingest to three
/// match shards, which publish their co-plays and watermarks to the conformance suite's four-partition test hub
/// through the real <see cref="EventHubsPlayPublisher"/>; two site replicas each read every partition of it from the
/// latest event (the real <see cref="EventHubsResultsSource"/> over the SDK's consumer seam). One shard is held back
/// 1.5 s while the others finish. Both viewers get exactly the same (windowStart, trackId) sequence, equal to the
/// viewer rule over the example's expected co-plays (replay's), and no window is shown incomplete.
/// </summary>
/// <remarks>
/// The match stages here are <see cref="StreamingPipeline"/>s with Pub/Sub-style shards (<see cref="MatchShard"/> K of
/// 3) over in-memory shard channels: what runs on Event Hubs in this test is the results hub and the sites' reads of
/// it. How an Event Hubs match replica speaks for the repartition partitions it owns (the same sink, with
/// <c>OwnedPartitions</c> as its shards) is tested in <see cref="EventHubsMatchShardsTests"/> and the sink's own tests.
/// </remarks>
public sealed class OneWorldViewOnEventHubsTests
{
    private const int Shards = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task GivenThreeMatchShardsOneLagging_WhenTwoSitesReadTheResultsHub_ThenBothViewersSeeTheViewerRuleOverReplayInTheSameOrder()
    {
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        TimeProvider clock = TimeProvider.System;
        var pipeline = new PipelineOptions { AllowedLatenessMs = 60_000, IdleFlushMs = 60_000 };
        IOptions<PipelineOptions> options = Options.Create(pipeline);
        var hub = new TestEventHub(partitionCount: 4);
        var channel = new InMemoryTransportOptions { Capacity = 10_000 };
        var plays = new InMemoryTransport(channel, clock);
        InMemoryTransport[] shards = [.. Enumerable.Range(0, Shards).Select(_ => new InMemoryTransport(channel, clock))];

        // Sites first, reading from the latest event: they must have every shard's first watermark.
        var sites = new List<(StageService<SiteStage> Service, RecordingViewer Viewer, PipelineCounters Counters, TestConsumerClient Client)>();
        for (int replica = 0; replica < 2; replica++)
        {
            var client = new TestConsumerClient(hub);
            var viewer = new RecordingViewer();
            var counters = new PipelineCounters();
            var source = new EventHubsResultsSource(client, "coplays", bufferCapacity: 10_000, clock, NullLogger.Instance);
            var site = new SiteStage(source, new JsonlCoPlayMessages(), [], [viewer], options, counters, clock, NullLogger<SiteStage>.Instance, new SiteStageSettings(TimeSpan.FromSeconds(30)));
            sites.Add((new StageService<SiteStage>(site), viewer, counters, client));
        }

        var ingest = new StageService<IngestStage>(new IngestStage(plays, new RawPlayReader(geo.Cities, geo.AnonymousIps, options), new ShardChannels(shards), new PipelineCounters(), clock, NullLogger<IngestStage>.Instance));
        var matches = new List<(StageService<StreamingPipeline> Service, PipelineCounters Counters)>();
        for (int k = 0; k < Shards; k++)
        {
            // The end of the stream emits all 60 windows at once: the watermark after them announces 60 counts (about
            // 1.5 KB), so events may be as large as on the smallest real tier (Basic, 256 KB).
            var producer = new RecordingProducer(hub, maxEventsPerBatch: 100) { MaxEventBytes = 256 * 1024 };
            var publisher = new EventHubsPlayPublisher(producer, TestEventHubsProcessor.Options(), clock, NullLogger.Instance);
            var results = new ResultsPublisherSink(new KeyedResults(publisher), new JsonlCoPlayMessages(), new MatchShard(k, Shards), pipeline.WindowMs, clock);
            var counters = new PipelineCounters();
            matches.Add((new StageService<StreamingPipeline>(new StreamingPipeline(
                shards[k], new RepartitionedPlayReader(), options, [results], [], counters, clock, NullLogger<StreamingPipeline>.Instance, progress: [results])), counters));
        }

        using var stop = new CancellationTokenSource(Patience * 2);
        try
        {
            foreach (var site in sites)
            {
                await site.Service.StartAsync(stop.Token);
                await site.Client.AllStartedAsync(stop.Token);
            }

            await ingest.StartAsync(stop.Token);
            foreach (var match in matches)
            {
                await match.Service.StartAsync(stop.Token);
            }

            IEnumerable<string> lines = File.ReadLines(TestData.Example("plays.jsonl"))
                .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal);
            foreach (string line in lines)
            {
                await plays.PublishAsync(Encoding.UTF8.GetBytes(line), stop.Token);
            }

            plays.Complete();
            await ingest.ExecuteTask!.WaitAsync(Patience);

            // Shards 0 and 2 finish (their last windows and final watermarks go out); shard 1 lags 1.5 s behind them.
            shards[0].Complete();
            shards[2].Complete();
            await matches[0].Service.ExecuteTask!.WaitAsync(Patience);
            await matches[2].Service.ExecuteTask!.WaitAsync(Patience);
            await Task.Delay(TimeSpan.FromSeconds(1.5), stop.Token);
            int shownWhileLagging = sites.Max(s => s.Viewer.Count);
            shards[1].Complete();
            await matches[1].Service.ExecuteTask!.WaitAsync(Patience);

            IReadOnlyList<(long, string)> expected = ViewerRuleOverReplay(pipeline);
            DateTime giveUp = DateTime.UtcNow + Patience;
            while (sites.Any(s => s.Viewer.Count < expected.Count) && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(100, stop.Token);
            }

            Assert.True(shownWhileLagging < expected.Count, $"the sites showed all {expected.Count} co-plays before the lagging shard had finished");
            // The counters first: a window shown short says how (timed out, or its co-plays came after it was shown).
            Assert.All(sites, s => Assert.Equal((0L, 0L), (s.Counters.WindowsShownIncomplete, s.Counters.CoPlaysLateAtSite)));
            Assert.Equal(sites[0].Viewer.Sequence, sites[1].Viewer.Sequence);
            Assert.Equal(expected, sites[0].Viewer.Sequence);
            Assert.Equal(496, matches.Sum(m => m.Counters.CoPlays));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var site in sites)
            {
                await site.Service.StopAsync(CancellationToken.None);
                site.Service.Dispose();
            }

            foreach (var match in matches)
            {
                match.Service.Dispose();
            }

            ingest.Dispose();
        }
    }

    /// <summary>DESIGN's viewer rule over replay's co-plays of the example (its expected output), window by window.</summary>
    private static IReadOnlyList<(long, string)> ViewerRuleOverReplay(PipelineOptions pipeline)
    {
        var selection = new ViewerSelection(pipeline.MaxPerSecond, pipeline.WindowMs);
        var coPlays = File.ReadLines(TestData.Example("expected.jsonl"))
            .Select(line => CoPlayJsonlReader.TryParse(Encoding.UTF8.GetBytes(line), out CoPlay? c, out _) ? c : throw new InvalidDataException(line));
        return [.. coPlays.GroupBy(c => c.WindowStartMs).OrderBy(w => w.Key)
            .SelectMany(w => selection.Select(w.Key, [.. w.Order(CoPlayOrder.Instance)]))
            .Select(c => (c.WindowStartMs, c.TrackId))];
    }

    /// <summary>Ingest's repartition publisher over one in-memory channel per shard, the track's shard chosen as on Pub/Sub.</summary>
    private sealed class ShardChannels(InMemoryTransport[] shards) : IKeyedPublisher
    {
        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            shards[TrackShard.Of(Encoding.UTF8.GetBytes(key), shards.Length)].PublishAsync(payload, cancellationToken);
    }

    /// <summary>The results hub keyed by track, as the Event Hubs scale-out publishes it.</summary>
    private sealed class KeyedResults(EventHubsPlayPublisher publisher) : IKeyedPublisher
    {
        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            publisher.PublishAsync(payload, key, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken) => new(publisher.FlushAsync(cancellationToken));
    }

    private sealed class RecordingViewer : ICoPlayViewerSink
    {
        private readonly ConcurrentQueue<(long, string)> _shown = new();

        public int Count => _shown.Count;

        public IReadOnlyList<(long, string)> Sequence => [.. _shown];

        public ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken)
        {
            foreach (CoPlay coPlay in selected)
            {
                _shown.Enqueue((coPlay.WindowStartMs, coPlay.TrackId));
            }

            return ValueTask.CompletedTask;
        }
    }
}
