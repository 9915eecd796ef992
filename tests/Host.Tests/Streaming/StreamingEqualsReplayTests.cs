using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// DESIGN.md: "Streaming over the same plays gives the same co-plays whenever disorder is within the allowed
/// lateness". The shared example, in event-time order, streamed through the pipeline with the real City database.
/// </summary>
public sealed class StreamingEqualsReplayTests
{
    [Fact]
    public async Task GivenTheExamplePlaysInEventTimeOrder_WhenStreamedToTheEnd_ThenTheCoPlaysAreExactlyTheExpectedOnes()
    {
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        var transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 1000 }, clock);
        var sink = new JsonlBufferSink();
        var counters = new PipelineCounters();
        using var pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            transport, new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(new PipelineOptions())), Options.Create(new PipelineOptions()), [sink], [], counters, clock, NullLogger<StreamingPipeline>.Instance));
        await pipeline.StartAsync(CancellationToken.None);

        // A stable sort: plays of the same millisecond keep their file order.
        IEnumerable<string> plays = File.ReadLines(TestData.Example("plays.jsonl"))
            .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal);
        foreach (string play in plays)
        {
            await transport.PublishAsync(Encoding.UTF8.GetBytes(play), CancellationToken.None);
        }

        transport.Complete();
        await pipeline.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.StopAsync(CancellationToken.None);

        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), sink.Text);
        Assert.Equal(3000, counters.Records);
        Assert.Equal(2811, counters.Eligible);
        Assert.Equal(0, counters[IneligibleReason.Late]);
        Assert.Equal(0, counters[IneligibleReason.FuturePlayedAt]);
        Assert.Equal(496, counters.CoPlays);
        Assert.Equal(3000, transport.Acked);
    }
}
