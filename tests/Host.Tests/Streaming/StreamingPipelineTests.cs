using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// The streaming pipeline on the InMemory transport with a fake processing clock and the MaxMind test City
/// database: what reaches the sinks, when messages are acknowledged, and how ineligible, late and malformed
/// records are counted (DESIGN.md "Streaming semantics").
/// </summary>
public sealed class StreamingPipelineTests : IAsyncLifetime, IDisposable
{
    private const string Together = "spotify:track:together";
    private const string Other = "spotify:track:other";

    /// <summary>2026-11-26T14:03:22.000Z: the second London and Linköping play together.</summary>
    private const long Second = 1_795_701_802_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 8000));
    private readonly InMemoryTransport _transport;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly RecordingSink _sink;
    private readonly RecordingDeadLetters _deadLetters = new();
    private readonly PipelineCounters _counters = new();
    private readonly GeoDatabases _geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });
    private readonly StringWriter _console = new();
    private readonly StageService<StreamingPipeline> _pipeline;

    public StreamingPipelineTests()
    {
        _transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 1000 }, _clock);
        _sink = new RecordingSink(_log);
        var catalog = new TrackTitles();
        catalog.AddRange([new Track(Together, "Listening Together", "The Testers")]);
        _pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            new RecordingSource(_transport, _log),
            new RawPlayReader(_geo.Cities, _geo.AnonymousIps, Options.Create(new PipelineOptions())),
            Options.Create(new PipelineOptions()),
            [_sink],
            [new ConsoleCoPlayViewer(catalog, TextWriter.Synchronized(_console))],
            _counters,
            _clock,
            NullLogger<StreamingPipeline>.Instance,
            _deadLetters));
    }

    public async Task InitializeAsync()
    {
        await _pipeline.StartAsync(CancellationToken.None);
        await _pipeline.Stage.Started.Task.WaitAsync(Patience);
    }

    public async Task DisposeAsync() => await _pipeline.StopAsync(CancellationToken.None);

    public void Dispose()
    {
        _pipeline.Dispose();
        _geo.Dispose();
        _console.Dispose();
    }

    private static readonly CoPlay LondonLinkoping = new(Second, Together, 2, 2, London, Linkoping, LondonLinkopingKm);

    private async Task PublishAsync(byte[] payload) => await _transport.PublishAsync(payload, CancellationToken.None);

    /// <summary>Publishes and waits until the pipeline has counted every record so far.</summary>
    private async Task PublishAndWaitAsync(params byte[][] payloads)
    {
        long expected = _counters.Records + payloads.Length;
        foreach (byte[] payload in payloads)
        {
            await PublishAsync(payload);
        }

        await EventuallyAsync(() => _counters.Records == expected, $"{expected} records counted");
    }

    private async Task EventuallyAsync(Func<bool> condition, string what, Action? meanwhile = null)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"Timed out waiting for {what}. Log: {string.Join(" | ", _log)}");
            }

            meanwhile?.Invoke();
            await Task.Delay(5);
        }
    }

    private string[] Acked => [.. _log.Where(e => e.StartsWith("ack ", StringComparison.Ordinal)).Select(e => e[4..])];

    /// <summary>London and Linköping in <see cref="Second"/>; then Milton on another track 3 s later, which moves the watermark past it.</summary>
    private async Task PlayLondonLinkopingThenMoveTheWatermarkAsync()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999));
        await PublishAndWaitAsync(Play("e3", Other, MiltonIp, Second + 3000));
        await EventuallyAsync(() => Acked.Length == 2, "the acks of e1 and e2");
    }

    [Fact]
    public async Task GivenLondonAndLinkopingInOneSecond_WhenTheWatermarkPassesIt_ThenTheirCoPlayReachesTheSink()
    {
        await PlayLondonLinkopingThenMoveTheWatermarkAsync();

        Assert.Equal([LondonLinkoping], _sink.CoPlays);
        Assert.Equal(1, _counters.CoPlays);
        Assert.Equal(1, _counters.Windows);
        Assert.Equal(3, _counters.Eligible);
    }

    [Fact]
    public async Task GivenLondonAndLinkopingInOneSecond_WhenTheWatermarkPassesIt_ThenTheViewerShowsOneReadableLine()
    {
        await PlayLondonLinkopingThenMoveTheWatermarkAsync();

        Assert.Equal(
            "14:03:22  \"Listening Together\" by The Testers  London, GB <-> Linköping, SE  1,258 km  (2 plays, 2 places)" + Environment.NewLine,
            _console.ToString());
    }

    [Fact]
    public async Task GivenEligiblePlays_WhenTheirWindowIsStillOpen_ThenNoneIsAcknowledged()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999),
            Play("e3", Other, MiltonIp, Second + 2999));
        await Task.Delay(200);

        Assert.Empty(Acked);
        Assert.Equal(0, _transport.Acked);
        Assert.Empty(_sink.CoPlays);
        Assert.Equal(3, _counters.Eligible);
    }

    [Fact]
    public async Task GivenEligiblePlays_WhenTheirWindowIsEmitted_ThenTheyAreAcknowledgedAfterTheSinkHasTheCoPlay()
    {
        await PlayLondonLinkopingThenMoveTheWatermarkAsync();

        Assert.Equal(["write spotify:track:together@" + Second, "ack e1", "ack e2"], _log.Where(e => !e.StartsWith("write-empty", StringComparison.Ordinal)));
        Assert.Equal(2, _transport.Acked);
    }

    [Fact]
    public async Task GivenIneligibleRecords_WhenCounted_ThenEachIsAcknowledgedAtOnceUnderItsReason()
    {
        await PublishAndWaitAsync(
            Play("private", Together, LondonIp, Second, ",\"privateSession\":true"),
            Play("anonymized", Together, null, Second),
            Play("lan", Together, "10.0.0.1", Second),
            Play("octal", Together, "010.0.0.1", Second),
            Play("unknown", Together, "1.1.1.1", Second));
        await EventuallyAsync(() => Acked.Length == 5, "five acks");

        Assert.Equal(["private", "anonymized", "lan", "octal", "unknown"], Acked);
        Assert.Equal(1, _counters[IneligibleReason.PrivateSession]);
        Assert.Equal(1, _counters[IneligibleReason.IpMissing]);
        Assert.Equal(1, _counters[IneligibleReason.IpNotPublic]);
        Assert.Equal(1, _counters[IneligibleReason.IpInvalid]);
        Assert.Equal(1, _counters[IneligibleReason.GeoNoCity]);
        Assert.Equal(0, _counters.Eligible);
        Assert.Equal(5, _transport.Acked);
    }

    [Fact]
    public async Task GivenAPlayForAWindowAlreadyEmitted_WhenItArrives_ThenItIsCountedLateAcknowledgedAndChangesNothing()
    {
        await PlayLondonLinkopingThenMoveTheWatermarkAsync();

        await PublishAndWaitAsync(Play("straggler", Together, MiltonIp, Second + 500));
        await EventuallyAsync(() => Acked.Length == 3, "the ack of the late play");

        Assert.Equal(1, _counters[IneligibleReason.Late]);
        Assert.Equal("straggler", Acked[^1]);
        Assert.Equal([LondonLinkoping], _sink.CoPlays);
    }

    [Fact]
    public async Task GivenAPlayMoreThanAMinuteAheadOfTheClock_WhenItArrives_ThenItIsCountedAsFutureAndDoesNotMoveTheWatermark()
    {
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();

        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999),
            Play("future", Other, MiltonIp, now + 60_001));
        await EventuallyAsync(() => Acked.Length == 1, "the ack of the future play");

        Assert.Equal(["future"], Acked);
        Assert.Equal(1, _counters[IneligibleReason.FuturePlayedAt]);
        Assert.Empty(_sink.CoPlays);
    }

    [Fact]
    public async Task GivenAMalformedRecord_WhenItArrives_ThenItIsDeadLetteredWithReasonReceiveTimeSourceAndPayloadAndAcknowledged()
    {
        DateTimeOffset receivedAt = _clock.GetUtcNow();
        byte[] payload = Encoding.UTF8.GetBytes("{\"eventId\":\"e1\",\"trackId\":");

        await PublishAndWaitAsync(payload);
        await EventuallyAsync(() => _transport.Acked == 1, "the ack of the malformed record");

        DeadLetter deadLetter = Assert.Single(_deadLetters.All);
        Assert.Equal(IneligibleReason.Malformed, deadLetter.Reason);
        Assert.Equal(receivedAt, deadLetter.ReceivedAt);
        Assert.Equal("inmemory", deadLetter.Source);
        Assert.Equal(payload, deadLetter.Payload.ToArray());
        Assert.Equal(1, _counters[IneligibleReason.Malformed]);
        Assert.Equal(["<malformed>"], Acked);
    }

    [Fact]
    public async Task GivenRecordsThatAreNotDeadLettered_WhenCounted_ThenTheDeadLetterStoreStaysEmpty()
    {
        await PublishAndWaitAsync(
            Play("private", Together, LondonIp, Second, ",\"privateSession\":true"),
            Play("e1", Together, LondonIp, Second + 1));

        Assert.Empty(_deadLetters.All);
    }

    [Fact]
    public async Task GivenAQuietStream_WhenTheIdleFlushTimePasses_ThenOpenWindowsAreEmittedAndTheirPlaysAcknowledged()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999));
        Assert.Empty(_sink.CoPlays);

        _clock.Advance(TimeSpan.FromMilliseconds(3000));
        await EventuallyAsync(() => Acked.Length == 2, "the idle flush", meanwhile: () => _clock.Advance(TimeSpan.FromMilliseconds(100)));

        Assert.Equal([LondonLinkoping], _sink.CoPlays);
        Assert.Equal(["e1", "e2"], Acked);
    }

    [Fact]
    public async Task GivenAnIdleFlush_WhenPlaysOfTheNextSecondArrive_ThenTheyAreNotLate()
    {
        await PublishAndWaitAsync(Play("e1", Together, LondonIp, Second + 431));
        _clock.Advance(TimeSpan.FromMilliseconds(3000));
        await EventuallyAsync(() => Acked.Length == 1, "the idle flush", meanwhile: () => _clock.Advance(TimeSpan.FromMilliseconds(100)));

        await PublishAndWaitAsync(
            Play("e2", Together, LondonIp, Second + 1000),
            Play("e3", Together, LinkopingIp, Second + 1001));

        Assert.Equal(0, _counters[IneligibleReason.Late]);
        Assert.Equal(3, _counters.Eligible);
    }

    [Fact]
    public async Task GivenARedeliveredPlay_WhenItsWindowIsEmitted_ThenItCountsOnceAndBothCopiesAreAcknowledged()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999));
        await PublishAndWaitAsync(Play("e3", Other, MiltonIp, Second + 3000));
        await EventuallyAsync(() => Acked.Length == 3, "three acks");

        Assert.Equal([LondonLinkoping], _sink.CoPlays);
        Assert.Equal(["e1", "e1", "e2"], Acked);
        Assert.Equal(3, _transport.Acked);
    }

    [Fact]
    public async Task GivenTheTransportCompletes_WhenTheStreamEnds_ThenOpenWindowsAreFlushedAndAcknowledged()
    {
        await PublishAndWaitAsync(
            Play("e1", Together, LondonIp, Second + 431),
            Play("e2", Together, LinkopingIp, Second + 999));

        _transport.Complete();
        await EventuallyAsync(() => Acked.Length == 2, "the final flush");

        Assert.Equal([LondonLinkoping], _sink.CoPlays);
    }

    /// <summary>Wraps a source so every acknowledgement is logged by the record's eventId, in order with sink writes.</summary>
    private sealed class RecordingSource(IPlaySource inner, ConcurrentQueue<string> log) : IPlaySource
    {
        public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (IReceivedMessage message in inner.ReadAllAsync(cancellationToken))
            {
                yield return new RecordingMessage(message, log);
            }
        }
    }

    private sealed class RecordingMessage(IReceivedMessage inner, ConcurrentQueue<string> log) : IReceivedMessage
    {
        public ReadOnlyMemory<byte> Payload => inner.Payload;

        public string Source => inner.Source;

        public DateTimeOffset ReceivedAt => inner.ReceivedAt;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            log.Enqueue("ack " + EventId(inner.Payload));
            return inner.AckAsync(cancellationToken);
        }

        private static string EventId(ReadOnlyMemory<byte> payload)
        {
            try
            {
                using var doc = JsonDocument.Parse(payload);
                return doc.RootElement.GetProperty("eventId").GetString()!;
            }
            catch (JsonException)
            {
                return "<malformed>";
            }
        }
    }

    private sealed class RecordingSink(ConcurrentQueue<string> log) : ICoPlaySink
    {
        private readonly ConcurrentQueue<CoPlay> _coPlays = new();

        public CoPlay[] CoPlays => [.. _coPlays];

        public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
        {
            if (coPlays.Count == 0)
            {
                log.Enqueue("write-empty");
            }

            foreach (CoPlay coPlay in coPlays)
            {
                _coPlays.Enqueue(coPlay);
                log.Enqueue($"write {coPlay.TrackId}@{coPlay.WindowStartMs}");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingDeadLetters : IDeadLetterSink
    {
        private readonly ConcurrentQueue<DeadLetter> _all = new();

        public DeadLetter[] All => [.. _all];

        public void Write(DeadLetter deadLetter) => _all.Enqueue(deadLetter);
    }
}
