using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>
/// The start hold: a worker that starts after a crash gets fresh plays at once, but the plays the crashed worker
/// held only once their ack deadline has passed. For the hold after its first play the watermark stays put, so
/// those come back in time for their windows (DESIGN.md "Delivery": a crash loses nothing).
/// </summary>
public class StreamingCoPlayEngineStartHoldTests
{
    private const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const long Lateness = 60_000;
    private const long IdleFlush = 30_000;
    private const string Hello = "spotify:track:hello";
    private const string Other = "spotify:track:other";

    // The worker starts 70 s after the second of Osaka and Lima, which the killed one held, as it had not emitted it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 70_000));
    private readonly List<EmittedWindow> _emitted = [];

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private StreamingCoPlayEngine Engine(long startHoldMs) =>
        new(new WindowAssigner(1000), Lateness, IdleFlush, 60_000, MatchingOptions.Default, _clock, startHoldMs);

    private static IneligibleReason Play(StreamingCoPlayEngine engine, string eventId, Location at, long atMs, string track = Hello) =>
        engine.Add(Encoding.UTF8.GetBytes(track), Encoding.UTF8.GetBytes(eventId), atMs, at);

    private static CoPlay OsakaLima(long windowStartMs) =>
        new(windowStartMs, Hello, 2, 2, Osaka, Lima, Haversine.DistanceKm(Osaka.Lat, Osaka.Lon, Lima.Lat, Lima.Lon));

    /// <summary>A fresh play of now, then Osaka and Lima handed out again 10 s later, when their ack deadline passed.</summary>
    private (IneligibleReason Osaka, IneligibleReason Lima) FreshPlayThenTheHeldOnes(StreamingCoPlayEngine engine)
    {
        Play(engine, "fresh", Tokyo, Now, Other);
        _clock.Advance(TimeSpan.FromSeconds(10));
        return (Play(engine, "osaka", Osaka, Second + 100), Play(engine, "lima", Lima, Second + 200));
    }

    [Fact]
    public void GivenNoStartHold_WhenAFreshPlayComesBeforeTheHeldOnes_ThenTheHeldOnesAreLate()
    {
        StreamingCoPlayEngine engine = Engine(startHoldMs: 0);

        var (osaka, lima) = FreshPlayThenTheHeldOnes(engine);

        Assert.Equal((IneligibleReason.Late, IneligibleReason.Late), (osaka, lima));
    }

    [Fact]
    public void GivenAStartHold_WhenAFreshPlayComesBeforeTheHeldOnes_ThenTheHeldOnesArePlacedAndTheirWindowIsEmittedWholeOnceTheHoldEnds()
    {
        StreamingCoPlayEngine engine = Engine(startHoldMs: Lateness);

        var (osaka, lima) = FreshPlayThenTheHeldOnes(engine);
        engine.EmitReady(_emitted);

        Assert.Equal((IneligibleReason.None, IneligibleReason.None), (osaka, lima));
        Assert.Empty(_emitted);
        Assert.Null(engine.WatermarkMs);

        _clock.Advance(TimeSpan.FromMilliseconds(Lateness - 10_000 - 1));
        engine.EmitReady(_emitted);
        Assert.Empty(_emitted);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        engine.EmitReady(_emitted);
        EmittedWindow window = Assert.Single(_emitted);
        Assert.Equal([OsakaLima(Second)], window.CoPlays);
        Assert.Equal(Second + 10_000, engine.WatermarkMs);
        Assert.Equal(1, engine.OpenWindows); // the fresh play's window waits for the watermark as usual
    }

    [Fact]
    public void GivenAStartHold_WhenItEnds_ThenPlaysBehindTheWatermarkAreLateAgain()
    {
        StreamingCoPlayEngine engine = Engine(startHoldMs: Lateness);
        FreshPlayThenTheHeldOnes(engine);
        _clock.Advance(TimeSpan.FromMilliseconds(Lateness));

        IneligibleReason straggler = Play(engine, "straggler", Lima, Second + 300);

        Assert.Equal(IneligibleReason.Late, straggler);
        Assert.Equal(Second + 10_000, engine.WatermarkMs);
    }

    [Fact]
    public void GivenAWorkerThatWaitedLongForItsFirstPlay_WhenPlaysCome_ThenTheHoldCountsFromTheFirstPlay()
    {
        StreamingCoPlayEngine engine = Engine(startHoldMs: Lateness);
        _clock.Advance(TimeSpan.FromMilliseconds(Lateness * 2)); // the source took this long to hand out anything

        Play(engine, "fresh", Tokyo, Now, Other);
        IneligibleReason osaka = Play(engine, "osaka", Osaka, Second + 100);
        engine.EmitReady(_emitted);

        Assert.Equal(IneligibleReason.None, osaka);
        Assert.Empty(_emitted);
    }

    [Fact]
    public void GivenAStartHold_WhenTheStreamGoesQuiet_ThenTheIdleFlushStillEmitsAndWhatItEmittedIsLateAfterwards()
    {
        StreamingCoPlayEngine engine = Engine(startHoldMs: Lateness);
        Play(engine, "osaka", Osaka, Second + 100);
        Play(engine, "lima", Lima, Second + 200);

        _clock.Advance(TimeSpan.FromMilliseconds(IdleFlush));
        Assert.True(engine.FlushIfIdle(_emitted));
        IneligibleReason straggler = Play(engine, "straggler", Tokyo, Second + 300);

        Assert.Equal([OsakaLima(Second)], Assert.Single(_emitted).CoPlays);
        Assert.Equal(IneligibleReason.Late, straggler);
    }
}
