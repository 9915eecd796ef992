using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Replay;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Input;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parquet;
using Parquet.Schema;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// The streaming pipeline with the Parquet archive on (DESIGN.md "Delivery" and "Archive durability"): a message
/// is acknowledged only once its play is on disk in the archive, and the archive holds every received play with a
/// valid playedAt, so replaying it gives the stream's co-plays.
/// </summary>
public sealed class ArchivingPipelineTests : IAsyncLifetime, IDisposable
{
    private const string Together = "spotify:track:together";
    private const string Other = "spotify:track:other";

    /// <summary>2026-11-26T14:03:22.000Z: the second London and Linköping play together.</summary>
    private const long Second = 1_795_701_802_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 8000));
    private readonly InMemoryTransport _transport;
    private readonly ConcurrentQueue<(string EventId, long Durable)> _acks = new();
    private readonly ConcurrentQueue<CoPlay> _coPlays = new();
    private readonly PipelineCounters _counters = new();
    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });
    private readonly RunningArchive _archiving;
    private readonly ParquetArchiveSink _archive;
    private readonly StageService<StreamingPipeline> _pipeline;

    public ArchivingPipelineTests()
    {
        _transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 1000 }, _clock);
        _archiving = new RunningArchive(_temp.Combine("archive"), _clock);
        _archive = _archiving.Sink;
        _pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            new AckRecordingSource(_transport, _acks, _archive),
            new RawPlayReader(_geo.Cities, _geo.AnonymousIps, Options.Create(new PipelineOptions())),
            Options.Create(new PipelineOptions()),
            [new CollectingSink(_coPlays)],
            [],
            _counters,
            _clock,
            NullLogger<StreamingPipeline>.Instance,
            archive: _archive));
    }

    private string ArchiveRoot => _temp.Combine("archive");

    private string[] Acked => [.. _acks.Select(a => a.EventId)];

    public async Task InitializeAsync()
    {
        _archiving.Start();
        await _pipeline.StartAsync(CancellationToken.None);
        await _pipeline.Stage.Started.Task.WaitAsync(Patience);
    }

    public async Task DisposeAsync()
    {
        await _pipeline.StopAsync(CancellationToken.None);
        await _archiving.StopAsync();
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _geo.Dispose();
        _archiving.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GivenAWindowEmittedBeforeTheArchiveFlushes_WhenFlushMsPasses_ThenItsPlaysAreAcknowledgedOnlyAfterTheyAreDurable()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999),
            Play("e3", Other, MiltonIp, Second + 3000));
        await EventuallyAsync(() => !_coPlays.IsEmpty, "the window's co-play at the sink");
        await Task.Delay(200);

        Assert.Equal(0, _transport.Acked);
        Assert.Equal(0, _archive.DurablePosition);

        await EventuallyAsync(() => Acked.Contains("e1") && Acked.Contains("e2"), "the acks of e1 and e2", advance: TimeSpan.FromMilliseconds(100));

        Assert.All(_acks, ack => Assert.True(ack.Durable >= 2, $"{ack.EventId} was acknowledged when the archive was durable only up to {ack.Durable}"));
    }

    [Fact]
    public async Task GivenIneligibleRecordsWithAPlayedAt_WhenCounted_ThenTheyWaitForTheArchiveWhileMalformedOnesAreAcknowledgedAtOnce()
    {
        await PublishAndWaitAsync(
            Play("private", Together, LondonIp, Second, ",\"privateSession\":true"),
            Play("lan", Together, "10.0.0.1", Second),
            Encoding.UTF8.GetBytes("{\"eventId\":\"broken\","),
            Play("", Together, LondonIp, Second));
        await EventuallyAsync(() => _transport.Acked == 2, "the acks of the records without a playedAt");
        await Task.Delay(200);

        Assert.Equal(["<malformed>", "<no event id>"], Acked);
        Assert.Equal(2, _archive.Position);

        await EventuallyAsync(() => _transport.Acked == 4, "the archived records' acks", advance: TimeSpan.FromMilliseconds(100));

        Assert.Equal(["private", "lan"], Acked[2..]);
        Assert.All(_acks.Skip(2), ack => Assert.True(ack.Durable >= 2, $"{ack.EventId} acknowledged before it was durable"));
        Assert.Equal(2, _counters.ArchivedPlays);
    }

    [Fact]
    public async Task GivenTheExamplePlaysStreamedWithTheArchiveOn_WhenTheArchiveIsReplayed_ThenItHoldsEveryPlayWithAPlayedAtAndGivesTheExpectedCoPlays()
    {
        // The example holds only with the real City database: a pipeline of its own.
        using GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 1, 0, TimeSpan.Zero));
        var transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 1000 }, clock);
        string root = _temp.Combine("example-archive");
        var archive = new ParquetArchiveSink(new ArchiveOptions { ParquetDir = root }, clock, NullLogger<ParquetArchiveSink>.Instance);
        using var stop = new CancellationTokenSource();
        Task archiving = archive.RunAsync(stop.Token);
        using var pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            transport, new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(new PipelineOptions())), Options.Create(new PipelineOptions()), [], [], new PipelineCounters(), clock, NullLogger<StreamingPipeline>.Instance, archive: archive));
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
        await stop.CancelAsync();
        await archiving.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3000, transport.Acked);
        Assert.Equal(2995, archive.DurablePosition);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, "_segments")));
        string output = _temp.Combine("replayed");
        await new ReplayJob(new ReplayRequest(InputFiles.Expand([root]), output, 1000, 100, 250, geo.Cities, null, null, clock)).RunAsync();
        Assert.Equal(File.ReadAllText(TestData.Example("expected.jsonl"), Encoding.UTF8), File.ReadAllText(Path.Combine(output, "coplays.jsonl"), Encoding.UTF8));
    }

    [Fact]
    public async Task GivenPlaysArchivedByTheStream_WhenTheArchiveIsRead_ThenItHasTheirFieldsAndReceiveTimeButNoUserId()
    {
        DateTimeOffset receivedAt = _clock.GetUtcNow();
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("private", Together, null, Second + 5, ",\"privateSession\":true"));

        _transport.Complete();
        await _pipeline.ExecuteTask!.WaitAsync(Patience);
        await _archiving.StopAsync();

        string file = Assert.Single(InputFiles.Expand([ArchiveRoot]));
        Assert.Equal(Path.Combine(ArchiveRoot, "dt=2026-11-26", "hour=14"), Path.GetDirectoryName(file));
        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        Assert.DoesNotContain(reader.Schema.GetDataFields(), f => f.Name.Contains("user", StringComparison.OrdinalIgnoreCase));
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
        DataField[] fields = reader.Schema.GetDataFields();
        string?[] eventIds = new string?[2], ips = new string?[2];
        bool?[] privateSession = new bool?[2];
        DateTime?[] received = new DateTime?[2];
        await group.ReadAsync(fields[0], eventIds.AsMemory());
        await group.ReadAsync(fields[2], ips.AsMemory());
        await group.ReadAsync<bool>(fields[4], privateSession.AsMemory());
        await group.ReadAsync<DateTime>(fields[5], received.AsMemory());
        Assert.Equal(new string?[] { "e1", "private" }, eventIds);
        Assert.Equal(new string?[] { LondonIp, null }, ips);
        Assert.Equal([false, true], privateSession);
        Assert.Equal([receivedAt.UtcDateTime, receivedAt.UtcDateTime], received);
        Assert.DoesNotContain("u-e1", File.ReadAllText(file, Encoding.Latin1), StringComparison.Ordinal);
    }

    private async Task PublishAndWaitAsync(params byte[][] payloads)
    {
        long expected = _counters.Records + payloads.Length;
        foreach (byte[] payload in payloads)
        {
            await _transport.PublishAsync(payload, CancellationToken.None);
        }

        await EventuallyAsync(() => _counters.Records == expected, $"{expected} records counted");
    }

    private async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? advance = null)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"Timed out waiting for {what}. Acked: {string.Join(", ", Acked)}");
            }

            if (advance is { } step)
            {
                _clock.Advance(step);
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Records each acknowledgement with how far the archive was durable at that moment.</summary>
    private sealed class AckRecordingSource(IPlaySource inner, ConcurrentQueue<(string, long)> acks, IPlayArchive archive) : IPlaySource
    {
        public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (IReceivedMessage message in inner.ReadAllAsync(cancellationToken))
            {
                yield return new AckRecordingMessage(message, acks, archive);
            }
        }
    }

    private sealed class AckRecordingMessage(IReceivedMessage inner, ConcurrentQueue<(string, long)> acks, IPlayArchive archive) : IReceivedMessage
    {
        public ReadOnlyMemory<byte> Payload => inner.Payload;

        public string Source => inner.Source;

        public DateTimeOffset ReceivedAt => inner.ReceivedAt;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            acks.Enqueue((EventId(inner.Payload), archive.DurablePosition));
            return inner.AckAsync(cancellationToken);
        }

        private static string EventId(ReadOnlyMemory<byte> payload)
        {
            try
            {
                using var doc = JsonDocument.Parse(payload);
                string eventId = doc.RootElement.GetProperty("eventId").GetString()!;
                return eventId.Length == 0 ? "<no event id>" : eventId;
            }
            catch (JsonException)
            {
                return "<malformed>";
            }
        }
    }

    private sealed class CollectingSink(ConcurrentQueue<CoPlay> coPlays) : ICoPlaySink
    {
        public ValueTask WriteAsync(IReadOnlyList<CoPlay> written, CancellationToken cancellationToken)
        {
            foreach (CoPlay coPlay in written)
            {
                coPlays.Enqueue(coPlay);
            }

            return ValueTask.CompletedTask;
        }
    }
}
