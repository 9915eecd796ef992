using System.Buffers;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parquet;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// The <c>run</c> composition root in-process, without the built-in simulator: plays published to its InMemory
/// transport come out of Results:Jsonl, malformed ones in DeadLetter:Path. Real clock, event times just behind it.
/// </summary>
public sealed class RunHostTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private IHost BuildHost() => RunCommand.Build(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Enabled"] = "false",
            ["Geo:CityDb"] = TestData.CityTestDb,
            ["Results:Jsonl"] = _temp.Combine("results", "coplays.jsonl"),
            ["Results:ParquetDir"] = _temp.Combine("results", "parquet"),
            ["DeadLetter:Path"] = _temp.Combine("dead-letters.jsonl"),
            ["Urls"] = "http://127.0.0.1:0",
        })
        .Build());

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task GivenTheRunHostWithoutSimulator_WhenPlaysArePublished_ThenTheCoPlayIsWrittenToResultsJsonlAndResultsParquetDir()
    {
        using IHost host = BuildHost();
        await host.StartAsync();
        var transport = host.Services.GetRequiredService<InMemoryTransport>();
        await host.Services.GetRequiredService<StreamingPipeline>().Started.Task.WaitAsync(Patience);
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        long window = ((now - 10_000) / 1000) * 1000;

        await transport.PublishAsync(Play("e1", "spotify:track:together", LondonIp, window + 100), CancellationToken.None);
        await transport.PublishAsync(Play("e2", "spotify:track:together", LinkopingIp, window + 200), CancellationToken.None);
        await transport.PublishAsync(Play("e3", "spotify:track:other", MiltonIp, now), CancellationToken.None);
        string results = _temp.Combine("results", "coplays.jsonl");
        await EventuallyAsync(() => ReadShared(results).Length > 0, "a co-play in Results:Jsonl");
        await EventuallyAsync(() => transport.Acked == 2, "the acks of e1 and e2");
        await host.StopAsync();

        Assert.Equal(
            "{\"windowStart\":\"" + At(window) + "\",\"trackId\":\"spotify:track:together\",\"plays\":2,\"locations\":2,"
            + "\"a\":{\"geonameId\":2643743,\"city\":\"London\",\"country\":\"GB\",\"lat\":51.5142,\"lon\":-0.0931},"
            + "\"b\":{\"geonameId\":2694762,\"city\":\"Linköping\",\"country\":\"SE\",\"lat\":58.4167,\"lon\":15.6167},"
            + "\"distanceKm\":1257.7273632170488}\n",
            ReadShared(results));
        await AssertParquetResultsEqualAsync(ReadShared(results));
        var counters = host.Services.GetRequiredService<PipelineCounters>();
        Assert.Equal(3, counters.Eligible);
        Assert.Equal(1, counters.CoPlays);
    }

    /// <summary>Results:ParquetDir holds the same co-plays as Results:Jsonl, with the City database in its metadata.</summary>
    private async Task AssertParquetResultsEqualAsync(string jsonl)
    {
        string file = Assert.Single(Directory.GetFiles(_temp.Combine("results", "parquet"), "*", SearchOption.AllDirectories));
        var written = new ArrayBufferWriter<byte>();
        foreach (CoPlay coPlay in await CoPlayParquetReader.ReadAsync(file, CancellationToken.None))
        {
            CoPlayJsonl.Write(written, coPlay);
        }

        Assert.Equal(jsonl, Encoding.UTF8.GetString(written.WrittenSpan));
        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        Assert.Equal(["windowMs", "minDistanceKm", "maxAccuracyRadiusKm", "cityDatabase.type", "cityDatabase.buildTime"], reader.CustomMetadata.Keys);
    }

    [Fact]
    public async Task GivenTheRunHostWithoutSimulator_WhenAMalformedRecordIsPublished_ThenItIsInDeadLetterPathAndAcknowledged()
    {
        using (IHost host = BuildHost())
        {
            await host.StartAsync();
            var transport = host.Services.GetRequiredService<InMemoryTransport>();
            await host.Services.GetRequiredService<StreamingPipeline>().Started.Task.WaitAsync(Patience);

            await transport.PublishAsync(Encoding.UTF8.GetBytes("[1,2,3]"), CancellationToken.None);
            await EventuallyAsync(() => transport.Acked == 1, "the ack of the malformed record");
            Assert.Equal(1, host.Services.GetRequiredService<PipelineCounters>()[IneligibleReason.Malformed]);
            await host.StopAsync();
        }

        string text = ReadShared(_temp.Combine("dead-letters.jsonl"));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        using var entry = JsonDocument.Parse(text);
        JsonElement e = entry.RootElement;
        Assert.Equal(["reason", "receivedAt", "source", "payload"], e.EnumerateObject().Select(p => p.Name));
        Assert.Equal("malformed", e.GetProperty("reason").GetString());
        Assert.Equal("inmemory", e.GetProperty("source").GetString());
        Assert.Equal("[1,2,3]", e.GetProperty("payload").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", e.GetProperty("receivedAt").GetString());
    }
}
