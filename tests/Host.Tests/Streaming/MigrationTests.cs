using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using ListeningTogether.Transports.Migration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// Transport:Kind=Migration: while plays move from one cloud to the other, some go to one transport, some to the
/// other, some to both; the pipeline reading both at once finds every co-play and counts each play once.
/// </summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task GivenTheExamplePlaysSplitAcrossTwoTransportsWithAnOverlap_WhenBothAreRead_ThenTheCoPlaysAreExactlyTheExpectedOnes()
    {
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        var options = new InMemoryTransportOptions { Capacity = 10_000 };
        InMemoryTransport gcp = new(options, clock), azure = new(options, clock);
        var sink = new JsonlBufferSink();
        var counters = new PipelineCounters();

        // The two transports are read side by side, so one may run up to 40 s of event time ahead of the other (the
        // example spans a minute): streaming equals batch when disorder stays within the allowed lateness.
        var pipelineOptions = new PipelineOptions { AllowedLatenessMs = 120_000 };
        using var pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            new MergedPlaySource([gcp, azure]), new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(pipelineOptions)), Options.Create(pipelineOptions),
            [sink], [], counters, clock, NullLogger<StreamingPipeline>.Instance));
        await pipeline.StartAsync(CancellationToken.None);

        // The first third only on the old transport, the middle third on both, the rest only on the new one.
        string[] plays = [.. File.ReadLines(TestData.Example("plays.jsonl"))
            .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal)];
        for (int i = 0; i < plays.Length; i++)
        {
            byte[] payload = Encoding.UTF8.GetBytes(plays[i]);
            if (i < 2 * plays.Length / 3)
            {
                await gcp.PublishAsync(payload, CancellationToken.None);
            }

            if (i >= plays.Length / 3)
            {
                await azure.PublishAsync(payload, CancellationToken.None);
            }
        }

        gcp.Complete();
        azure.Complete();
        await pipeline.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), sink.Text);
        Assert.Equal(496, counters.CoPlays);
        Assert.Equal((2000, 2000), (gcp.Acked, azure.Acked));
    }

    [Fact]
    public async Task GivenASourceThatFails_WhenMerged_ThenTheMergedStreamEndsWithItsError()
    {
        var clock = new FakeTimeProvider();
        var healthy = new InMemoryTransport(new InMemoryTransportOptions(), clock);
        var merged = new MergedPlaySource([healthy, new FailingSource()]);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (IReceivedMessage _ in merged.ReadAllAsync(CancellationToken.None))
            {
            }
        });

        Assert.Equal("subscription gone", e.Message);
    }

    private sealed class FailingSource : IPlaySource
    {
        public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("subscription gone");
#pragma warning disable CS0162 // An iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }
    }
}
