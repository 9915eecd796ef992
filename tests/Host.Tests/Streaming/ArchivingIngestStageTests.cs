using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Input;
using ListeningTogether.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parquet;
using Parquet.Schema;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// <c>run --stage ingest</c> with the Parquet archive on (DESIGN.md "Scale-out", "Archive durability", "Delivery"):
/// every received play with a valid playedAt is archived, eligible or not, and a raw message is acknowledged only
/// once it is handled as ingest requires (republished when eligible) and its play is on disk in the archive.
/// </summary>
public sealed class ArchivingIngestStageTests : IAsyncLifetime, IDisposable
{
    private const string Together = "spotify:track:together";

    /// <summary>2026-11-26T14:03:22.000Z.</summary>
    private const long Second = 1_795_701_802_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 8000));
    private readonly Channel<IReceivedMessage> _source = Channel.CreateUnbounded<IReceivedMessage>();
    private readonly ConcurrentQueue<(string Label, long Durable)> _acks = new();
    private readonly RepartitionRecorder _repartition = new();
    private readonly PipelineCounters _counters = new();
    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });
    private readonly RunningArchive _archiving;
    private readonly ParquetArchiveSink _archive;
    private readonly StageService<IngestStage> _ingest;

    public ArchivingIngestStageTests()
    {
        _archiving = new RunningArchive(_temp.Combine("archive"), _clock);
        _archive = _archiving.Sink;
        _ingest = new StageService<IngestStage>(new IngestStage(
            new ChannelSource(_source.Reader),
            new RawPlayReader(_geo.Cities, _geo.AnonymousIps, Options.Create(new PipelineOptions())),
            _repartition,
            _counters,
            _clock,
            NullLogger<IngestStage>.Instance,
            archive: _archive));
    }

    private string[] Acked => [.. _acks.Select(a => a.Label)];

    public async Task InitializeAsync()
    {
        _archiving.Start();
        await _ingest.StartAsync(CancellationToken.None);
        await EventuallyAsync(() => _ingest.Stage.IsReading, "the stage reading");
    }

    public async Task DisposeAsync()
    {
        _repartition.ReleaseAll();
        await _ingest.StopAsync(CancellationToken.None);
        await _archiving.StopAsync();
    }

    public void Dispose()
    {
        _ingest.Dispose();
        _geo.Dispose();
        _archiving.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GivenEligiblePlaysRepublishedBeforeTheArchiveFlushes_WhenFlushMsPasses_ThenTheyAreAcknowledgedOnlyOnceDurable()
    {
        await SendAndWaitAsync(Message("e1", Play("e1", Together, LondonIp, Second + 431)), Message("e2", Play("e2", Together, LinkopingIp, Second + 999)));
        await EventuallyAsync(() => _repartition.Confirmed == 2, "both republished");
        await Task.Delay(200);

        Assert.Empty(_acks);
        Assert.Equal((2, 0), (_archive.Position, _archive.DurablePosition));

        await EventuallyAsync(() => _acks.Count == 2, "the acks of e1 and e2", advance: true);

        Assert.Equal(["e1", "e2"], Acked);
        Assert.All(_acks, ack => Assert.True(ack.Durable >= 2, $"{ack.Label} was acknowledged when the archive was durable only up to {ack.Durable}"));
    }

    [Fact]
    public async Task GivenAPlayDurableInTheArchive_WhenItsRepublishIsNotConfirmedYet_ThenItIsAcknowledgedOnlyOnceTheRepublishIs()
    {
        _repartition.HoldConfirmations();
        await SendAndWaitAsync(Message("e1", Play("e1", Together, LondonIp, Second + 431)));
        await EventuallyAsync(() => _archive.DurablePosition == 1, "the play durable in the archive", advance: true);
        await Task.Delay(200);

        Assert.Empty(_acks);

        _repartition.ReleaseAll();
        await EventuallyAsync(() => _acks.Count == 1, "the ack of e1", advance: true);

        Assert.Equal(["e1"], Acked);
    }

    [Fact]
    public async Task GivenARepublishThatFails_WhenItsPlayIsDurableInTheArchive_ThenItIsNotAcknowledgedButTheNextPlayIs()
    {
        _repartition.FailEventId("e1");
        await SendAndWaitAsync(Message("e1", Play("e1", Together, LondonIp, Second + 431)), Message("e2", Play("e2", Together, LinkopingIp, Second + 999)));
        await EventuallyAsync(() => _acks.Count == 1, "the ack of e2", advance: true);
        await Task.Delay(200);

        Assert.Equal(["e2"], Acked);
        Assert.Equal(2, _archive.DurablePosition);
    }

    [Fact]
    public async Task GivenIneligibleRecordsWithAPlayedAt_WhenIngested_ThenTheyAreArchivedAndWaitForTheArchiveWhileRecordsWithoutOneAreAcknowledgedAtOnce()
    {
        await SendAndWaitAsync(
            Message("private", Play("private", Together, LondonIp, Second, ",\"privateSession\":true")),
            Message("lan", Play("lan", Together, "10.0.0.1", Second + 1)),
            Message("anonymized", Play("anonymized", Together, null, Second + 2)),
            Message("malformed", Encoding.UTF8.GetBytes("{\"eventId\":\"broken\",")),
            Message("no event id", Play("", Together, LondonIp, Second)),
            Message("bad time", Encoding.UTF8.GetBytes("{\"eventId\":\"bad-time\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"yesterday\"}")),
            Message("e1", Play("e1", Together, LondonIp, Second + 3)));
        await EventuallyAsync(() => _acks.Count == 3, "the acks of the records without a playedAt");
        await Task.Delay(200);

        Assert.Equal(["malformed", "no event id", "bad time"], Acked);
        Assert.Equal(1, _repartition.Confirmed);

        await EventuallyAsync(() => _acks.Count == 7, "the archived records' acks", advance: true);

        Assert.Equal(["private", "lan", "anonymized", "e1"], Acked[3..]);
        Assert.All(_acks.Skip(3), ack => Assert.True(ack.Durable >= 4, $"{ack.Label} was acknowledged before it was durable"));
        Assert.Equal(4, _counters.ArchivedPlays);
        Assert.Equal(["anonymized", "e1", "lan", "private"], await ArchivedEventIdsAsync());
    }

    [Fact]
    public async Task GivenATransportEventTimeAndId_WhenIngested_ThenTheRepublishedAndTheArchivedPlayCarryThem()
    {
        var overrides = new PlayOverrides(Second + 5000, false, Encoding.UTF8.GetBytes("from-attribute"));
        await SendAndWaitAsync(Message("e1", Play("e1", Together, LondonIp, Second + 431), overrides));
        await EventuallyAsync(() => _acks.Count == 1, "the ack of e1", advance: true);

        using JsonDocument republished = JsonDocument.Parse(Assert.Single(_repartition.Payloads));
        Assert.Equal("from-attribute", republished.RootElement.GetProperty("eventId").GetString());
        Assert.Equal(At(Second + 5000), republished.RootElement.GetProperty("playedAt").GetString());
        Assert.Equal([("from-attribute", Second + 5000)], await ArchivedPlaysAsync());
    }

    [Fact]
    public async Task GivenAnInvalidTransportEventTime_WhenIngested_ThenThePlayIsInvalidPlayedAtAcknowledgedAtOnceAndNotArchived()
    {
        await SendAndWaitAsync(Message("e1", Play("e1", Together, LondonIp, Second + 431), new PlayOverrides(null, true, default)));
        await EventuallyAsync(() => _acks.Count == 1, "the ack of e1");

        Assert.Equal(1, _counters[IneligibleReason.InvalidPlayedAt]);
        Assert.Equal((0, 0), (_archive.Position, _repartition.Confirmed));
    }

    private async Task<string[]> ArchivedEventIdsAsync() => [.. (await ArchivedPlaysAsync()).Select(p => p.EventId).Order(StringComparer.Ordinal)];

    /// <summary>Stops the stage and the archive (which turns its segment into Parquet) and reads every archived play back.</summary>
    private async Task<List<(string EventId, long PlayedAtMs)>> ArchivedPlaysAsync()
    {
        await _ingest.StopAsync(CancellationToken.None);
        await _archiving.StopAsync();
        var plays = new List<(string, long)>();
        foreach (string file in InputFiles.Expand([_archive.Root]))
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(file);
            DataField[] fields = reader.Schema.GetDataFields();
            Assert.DoesNotContain(fields, f => f.Name.Contains("user", StringComparison.OrdinalIgnoreCase));
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                string?[] eventIds = new string?[group.RowCount];
                DateTime?[] playedAt = new DateTime?[group.RowCount];
                await group.ReadAsync(fields[0], eventIds.AsMemory());
                await group.ReadAsync<DateTime>(fields[3], playedAt.AsMemory());
                plays.AddRange(eventIds.Zip(playedAt, (id, at) => (id!, new DateTimeOffset(at!.Value, TimeSpan.Zero).ToUnixTimeMilliseconds())));
            }
        }

        return plays;
    }

    private TestMessage Message(string label, byte[] payload, PlayOverrides overrides = default) =>
        new(label, payload, overrides, _clock.GetUtcNow(), _acks, _archive);

    private async Task SendAndWaitAsync(params TestMessage[] messages)
    {
        long expected = _counters.Records + messages.Length;
        foreach (TestMessage message in messages)
        {
            await _source.Writer.WriteAsync(message);
        }

        await EventuallyAsync(() => _counters.Records == expected, $"{expected} records counted");
    }

    private async Task EventuallyAsync(Func<bool> condition, string what, bool advance = false)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"Timed out waiting for {what}. Acked: {string.Join(", ", Acked)}");
            }

            if (advance)
            {
                _clock.Advance(Step);
            }

            await Task.Delay(5);
        }
    }

    /// <summary>A received message that records its acknowledgement with how far the archive was durable at that moment.</summary>
    private sealed class TestMessage(
        string label,
        byte[] payload,
        PlayOverrides overrides,
        DateTimeOffset receivedAt,
        ConcurrentQueue<(string, long)> acks,
        IPlayArchive archive) : IReceivedMessage
    {
        public ReadOnlyMemory<byte> Payload => payload;

        public string Source => "test";

        public DateTimeOffset ReceivedAt => receivedAt;

        public PlayOverrides Overrides => overrides;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            acks.Enqueue((label, archive.DurablePosition));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The repartition topic: confirms at once, or holds confirmations until released, or fails one event id.</summary>
    private sealed class RepartitionRecorder : IKeyedPublisher
    {
        private readonly ConcurrentQueue<string> _payloads = new();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _hold;
        private volatile string? _failing;
        private int _confirmed;

        public IReadOnlyCollection<string> Payloads => _payloads;

        public int Confirmed => Volatile.Read(ref _confirmed);

        public void HoldConfirmations() => _hold = true;

        public void ReleaseAll() => _release.TrySetResult();

        public void FailEventId(string eventId) => _failing = eventId;

        public async ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            string json = Encoding.UTF8.GetString(payload.Span);
            if (_hold)
            {
                await _release.Task.WaitAsync(cancellationToken);
            }

            using (JsonDocument document = JsonDocument.Parse(json))
            {
                if (document.RootElement.GetProperty("eventId").GetString() == _failing)
                {
                    throw new IOException("the repartition topic refused the message");
                }
            }

            _payloads.Enqueue(json);
            Interlocked.Increment(ref _confirmed);
        }
    }
}
