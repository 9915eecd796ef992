using System.Globalization;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// DESIGN.md "Scale-out": ingest -> repartition -> match -> results -> site, split into stages over the in-memory
/// topology, gives exactly the co-plays of the single-process pipeline, and every message is acknowledged.
/// </summary>
public sealed class SplitStagesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenTheExamplePlays_WhenIngestMatchAndSiteRunAsSeparateStages_ThenTheSiteGetsExactlyTheExpectedCoPlays()
    {
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        IOptions<PipelineOptions> options = Options.Create(new PipelineOptions());
        var channel = new InMemoryTransportOptions { Capacity = 10_000 };
        InMemoryTransport plays = new(channel, clock), repartition = new(channel, clock), results = new(channel, clock);
        var topology = new InMemoryScaleOut(plays, repartition, results);
        var ingestCounters = new PipelineCounters();
        var matchCounters = new PipelineCounters();
        var siteCounters = new PipelineCounters();
        var shown = new JsonlBufferSink();

        using var ingest = new StageService<IngestStage>(new IngestStage(topology.OpenPlays(), new RawPlayReader(geo.Cities, geo.AnonymousIps, options), topology.OpenRepartitionPublisher(), ingestCounters, clock, NullLogger<IngestStage>.Instance));
        var publisher = new ResultsPublisherSink(topology.OpenResultsPublisher(), new JsonlCoPlayMessages(), topology.MatchShards(), options.Value.WindowMs, clock);
        using var match = new StageService<StreamingPipeline>(new StreamingPipeline(
            topology.OpenRepartitionedPlays(), new RepartitionedPlayReader(), options, [publisher], [], matchCounters, clock, NullLogger<StreamingPipeline>.Instance, progress: [publisher]));
        using var site = new StageService<SiteStage>(new SiteStage(topology.OpenResults("site"), new JsonlCoPlayMessages(), [shown], [], options, siteCounters, clock, NullLogger<SiteStage>.Instance));
        await ingest.StartAsync(CancellationToken.None);
        await match.StartAsync(CancellationToken.None);
        await site.StartAsync(CancellationToken.None);

        IEnumerable<string> lines = File.ReadLines(TestData.Example("plays.jsonl"))
            .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal);
        foreach (string line in lines)
        {
            await plays.PublishAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        }

        plays.Complete();
        await ingest.ExecuteTask!.WaitAsync(Patience);
        repartition.Complete();
        await match.ExecuteTask!.WaitAsync(Patience);
        results.Complete();
        await site.ExecuteTask!.WaitAsync(Patience);

        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), shown.Text);
        Assert.Equal((3000, 2811), (ingestCounters.Records, ingestCounters.Eligible));
        Assert.Equal((2811, 2811, 496), (matchCounters.Records, matchCounters.Eligible, matchCounters.CoPlays));
        Assert.Equal(496, siteCounters.CoPlays);
        Assert.Equal((3000, 2811), (plays.Acked, repartition.Acked));
        Assert.Equal(0, siteCounters.WindowsShownIncomplete);
        Assert.Equal(results.Published, results.Acked);
    }

    [Fact]
    public async Task GivenResultsRedeliveredAndAnUnreadableOne_WhenTheSiteReadsThem_ThenEachCoPlayIsShownOnceAndAllAreAcknowledged()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        var results = new InMemoryTransport(new InMemoryTransportOptions(), clock);
        var shown = new JsonlBufferSink();
        var counters = new PipelineCounters();
        using var site = new StageService<SiteStage>(new SiteStage(results, new JsonlCoPlayMessages(), [shown], [], Options.Create(new PipelineOptions()), counters, clock, NullLogger<SiteStage>.Instance));
        await site.StartAsync(CancellationToken.None);
        string first = File.ReadLines(TestData.Example("expected.jsonl")).First();
        string withShard = "{\"v\":1,\"shard\":0," + first[1..];
        long windowStart = DateTimeOffset.Parse(JsonDocument.Parse(first).RootElement.GetProperty("windowStart").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

        await results.PublishAsync(Encoding.UTF8.GetBytes($"{{\"v\":1,\"watermark\":{windowStart - 1000},\"shard\":0,\"shards\":1,\"counts\":{{}}}}"), CancellationToken.None);
        await results.PublishAsync(Encoding.UTF8.GetBytes(withShard), CancellationToken.None);
        await results.PublishAsync(Encoding.UTF8.GetBytes(withShard), CancellationToken.None);
        await results.PublishAsync("{\"v\":1,\"windowStart\":"u8.ToArray(), CancellationToken.None);
        await results.PublishAsync(Encoding.UTF8.GetBytes($"{{\"v\":1,\"watermark\":{windowStart + 1000},\"shard\":0,\"shards\":1,\"counts\":{{\"{windowStart}\":1}}}}"), CancellationToken.None);
        results.Complete();
        await site.ExecuteTask!.WaitAsync(Patience);

        Assert.Equal(first + "\n", shown.Text);
        Assert.Equal(1, counters.CoPlays);
        Assert.Equal(5, results.Acked);
    }
}
