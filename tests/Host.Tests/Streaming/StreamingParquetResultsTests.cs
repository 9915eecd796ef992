using System.Buffers;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// Results:ParquetDir: the shared example streamed through the pipeline with the Parquet results sink on; its
/// minute files, read in name order, hold exactly the co-plays of replay's expected output, in its order.
/// </summary>
public sealed class StreamingParquetResultsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenTheExamplePlaysStreamedWithTheParquetResultsSink_WhenAllMinuteFilesAreReadInOrder_ThenTheyAreExactlyTheExpectedCoPlays()
    {
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        var transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 1000 }, clock);
        var options = new PipelineOptions();
        using var sink = new ParquetCoPlaySink(
            _temp.Path,
            CoPlayParquetMetadata.Of(options.WindowMs, options.MinDistanceKm, options.MaxAccuracyRadiusKm, geo.Cities),
            NullLogger<ParquetCoPlaySink>.Instance);
        using var pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            transport, new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(options)), Options.Create(options), [sink], [], new PipelineCounters(), clock, NullLogger<StreamingPipeline>.Instance));
        await pipeline.StartAsync(CancellationToken.None);

        IEnumerable<string> plays = File.ReadLines(TestData.Example("plays.jsonl"))
            .OrderBy(line => JsonDocument.Parse(line).RootElement.GetProperty("playedAt").GetString(), StringComparer.Ordinal);
        foreach (string play in plays)
        {
            await transport.PublishAsync(Encoding.UTF8.GetBytes(play), CancellationToken.None);
        }

        transport.Complete();
        await pipeline.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));
        await pipeline.StopAsync(CancellationToken.None);

        string[] files = Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories);
        Assert.All(files, f => Assert.Matches(@"dt=\d{4}-\d\d-\d\d[/\\]hour=\d\d[/\\]coplays-\d{8}T\d{4}\.parquet$", f));

        // The example's windows are 09:00:00 to 09:00:59: one minute file, rewritten once per window.
        Assert.Equal([Path.Combine(_temp.Path, "dt=2026-11-26", "hour=09", "coplays-20261126T0900.parquet")], files);
        var written = new ArrayBufferWriter<byte>();
        foreach (string file in files.Order(StringComparer.Ordinal))
        {
            foreach (CoPlay coPlay in await CoPlayParquetReader.ReadAsync(file, CancellationToken.None))
            {
                CoPlayJsonl.Write(written, coPlay);
            }
        }

        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), Encoding.UTF8.GetString(written.WrittenSpan));
    }
}
