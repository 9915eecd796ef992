using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Host.Tests.Fixtures.Plays;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>
/// The archive's hold on an emitted window's messages: acknowledged only once the archive has every play appended
/// before on disk, and the window's ack list then handed back to the engine, so the next windows reuse it.
/// </summary>
public sealed class ArchiveGateTests
{
    /// <summary>2026-11-26T14:03:22.000Z.</summary>
    private const long Second = 1_795_701_802_000;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 500));
    private readonly StubArchive _archive = new();
    private readonly ArchiveGate _gate;
    private readonly StreamingCoPlayEngine _engine;
    private readonly List<EmittedWindow> _emitted = [];
    private readonly List<string> _acked = [];

    public ArchiveGateTests()
    {
        _gate = new ArchiveGate(_archive, new PipelineCounters());
        _engine = new StreamingCoPlayEngine(new WindowAssigner(1000), 2000, 3000, 60_000, MatchingOptions.Default, _clock);
    }

    [Fact]
    public async Task GivenAWindowHeldForTheArchive_WhenTheArchiveIsDurablePastIt_ThenItsMessagesAreAckedAndTheNextWindowReusesItsList()
    {
        EmittedWindow first = Emit(Second, "m-1", "m-2");
        _archive.Position = 10;
        Assert.True(_gate.Hold(first, _engine));

        await _gate.AckDurableAsync(CancellationToken.None);
        Assert.Empty(_acked);

        _archive.DurablePosition = 10;
        await _gate.AckDurableAsync(CancellationToken.None);
        Assert.Equal(["m-1", "m-2"], _acked);
        Assert.Equal(0, _gate.Holding);

        EmittedWindow second = Emit(Second + 1000, "m-3");
        EmittedWindow third = Emit(Second + 2000, "m-4");
        Assert.Same(first.Acks, third.Acks);
        Assert.Equal(["m-3"], second.Acks.Cast<Message>().Select(m => m.Id));
        Assert.Equal(["m-4"], third.Acks.Cast<Message>().Select(m => m.Id));
    }

    [Fact]
    public void GivenAnArchiveDurableUpToItsPosition_WhenAWindowIsEmitted_ThenItIsNotHeld()
    {
        EmittedWindow window = Emit(Second, "m-1");
        _archive.Position = 5;
        _archive.DurablePosition = 5;

        Assert.False(_gate.Hold(window, _engine));
        Assert.Equal(0, _gate.Holding);
    }

    /// <summary>Adds a play per message to the window at <paramref name="windowStartMs"/> and emits it (with every window before).</summary>
    private EmittedWindow Emit(long windowStartMs, params string[] messages)
    {
        foreach (string id in messages)
        {
            _engine.Add(Encoding.UTF8.GetBytes("spotify:track:t"), Encoding.UTF8.GetBytes(id), windowStartMs + 100, London, new Message(id, _acked));
        }

        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(windowStartMs + 3500));
        _engine.Add(Encoding.UTF8.GetBytes("spotify:track:later"), Encoding.UTF8.GetBytes("later-" + windowStartMs), windowStartMs + 3100, London);
        _emitted.Clear();
        _engine.EmitReady(_emitted);
        return _emitted.Single(w => w.WindowStartMs == windowStartMs);
    }

    private sealed class StubArchive : IPlayArchive
    {
        public long Position { get; set; }

        public long DurablePosition { get; set; }

        public long Append(in ArchivedPlay play) => ++Position;

        public ValueTask WaitDurableAsync(long position, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Message(string id, List<string> acked) : IReceivedMessage
    {
        public string Id => id;

        public ReadOnlyMemory<byte> Payload => ReadOnlyMemory<byte>.Empty;

        public string Source => "test";

        public DateTimeOffset ReceivedAt => DateTimeOffset.UnixEpoch;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            acked.Add(id);
            return ValueTask.CompletedTask;
        }
    }
}
