using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>DESIGN.md "Streaming semantics": the watermark, emission, lateness, the future guard and the idle flush, on a fake clock.</summary>
public class StreamingCoPlayEngineTests
{
    private const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const long Lateness = 2000;
    private const long IdleFlush = 3000;
    private const long FutureSkew = 60_000;
    private const string Hello = "spotify:track:hello";
    private const string Other = "spotify:track:other";

    // The processing clock starts half a second into the window of the first plays.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 500));
    private readonly List<EmittedWindow> _emitted = [];
    private readonly StreamingCoPlayEngine _engine;

    public StreamingCoPlayEngineTests()
    {
        _engine = new StreamingCoPlayEngine(new WindowAssigner(1000), Lateness, IdleFlush, FutureSkew, MatchingOptions.Default, _clock);
    }

    private IneligibleReason Play(string eventId, Location at, long atMs, string track = Hello, object? ack = null) =>
        _engine.Add(Encoding.UTF8.GetBytes(track), Encoding.UTF8.GetBytes(eventId), atMs, at, ack);

    private static double Km(Location a, Location b) => Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon);

    private static CoPlay OsakaLima(long windowStartMs, long plays = 2) => new(windowStartMs, Hello, plays, 2, Osaka, Lima, Km(Osaka, Lima));

    [Fact]
    public void GivenNoPlay_WhenAsked_ThenThereIsNoWatermark()
    {
        Assert.Null(_engine.WatermarkMs);
    }

    [Fact]
    public void GivenPlaysInAnyOrder_WhenAdded_ThenTheWatermarkIsTheLatestPlayedAtMinusTheLateness()
    {
        Play("e-1", Osaka, Second + 431);
        Assert.Equal(Second + 431 - Lateness, _engine.WatermarkMs);

        Play("e-2", Lima, Second + 100);
        Assert.Equal(Second + 431 - Lateness, _engine.WatermarkMs);

        Play("e-3", Lima, Second + 2500);
        Assert.Equal(Second + 500, _engine.WatermarkMs);
    }

    [Fact]
    public void GivenOsakaAndLimaInOneWindow_WhenTheWatermarkIsOneMsShortOfItsEnd_ThenNothingIsEmitted()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);
        Play("later", Tokyo, Second + 1000 + Lateness - 1, Other);

        _engine.EmitReady(_emitted);

        Assert.Equal(Second + 999, _engine.WatermarkMs);
        Assert.Empty(_emitted);
        Assert.Equal(2, _engine.OpenWindows);
    }

    [Fact]
    public void GivenOsakaAndLimaInOneWindow_WhenTheWatermarkReachesItsEnd_ThenTheWindowIsEmittedWithItsCoPlay()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);
        Play("later", Tokyo, Second + 1000 + Lateness, Other);

        _engine.EmitReady(_emitted);

        EmittedWindow window = Assert.Single(_emitted);
        Assert.Equal(Second, window.WindowStartMs);
        Assert.Equal([OsakaLima(Second)], window.CoPlays);
        Assert.Equal(2, window.DistinctPlays);
        Assert.Equal(1, _engine.OpenWindows); // the window of the later play
    }

    [Fact]
    public void GivenAnEmittedWindow_WhenAPlayForItArrives_ThenItIsLateAndTheWindowIsNotEmittedAgain()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);
        Play("later", Tokyo, Second + 3000, Other);
        _engine.EmitReady(_emitted);

        IneligibleReason straggler = Play("lima-2", Lima, Second + 999);
        IneligibleReason neverOpened = Play("ancient", Lima, Second - 5000);
        IneligibleReason nextWindow = Play("next", Lima, Second + 1000);
        _engine.FlushAll(_emitted);

        Assert.Equal(IneligibleReason.Late, straggler);
        Assert.Equal(IneligibleReason.Late, neverOpened);
        Assert.Equal(IneligibleReason.None, nextWindow);
        Assert.Equal([Second, Second + 1000, Second + 3000], _emitted.Select(w => w.WindowStartMs));
        Assert.Equal(2, _emitted[0].DistinctPlays);
    }

    [Fact]
    public void GivenAPlayedAtMoreThanTheSkewAheadOfTheClock_WhenAdded_ThenItIsFuturePlayedAtAndLeavesTheWatermark()
    {
        long now = Second + 500;

        IneligibleReason tooFar = Play("future", Osaka, now + FutureSkew + 1);
        Assert.Equal(IneligibleReason.FuturePlayedAt, tooFar);
        Assert.Null(_engine.WatermarkMs);
        Assert.Equal(0, _engine.OpenWindows);

        IneligibleReason atTheEdge = Play("edge", Osaka, now + FutureSkew);
        Assert.Equal(IneligibleReason.None, atTheEdge);
        Assert.Equal(now + FutureSkew - Lateness, _engine.WatermarkMs);
    }

    [Fact]
    public void GivenTheClockMoves_WhenAPlayWasFuture_ThenTheSameTimeIsAcceptedLater()
    {
        long playedAt = Second + 500 + FutureSkew + 1000;
        Assert.Equal(IneligibleReason.FuturePlayedAt, Play("e-1", Osaka, playedAt));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(IneligibleReason.None, Play("e-1", Osaka, playedAt));
    }

    [Fact]
    public void GivenOpenWindows_WhenNoPlayArrivesForLessThanIdleFlushMs_ThenNothingIsFlushed()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);

        _clock.Advance(TimeSpan.FromMilliseconds(IdleFlush - 1));

        Assert.False(_engine.FlushIfIdle(_emitted));
        Assert.Empty(_emitted);
    }

    [Fact]
    public void GivenOpenWindows_WhenNoPlayArrivesForIdleFlushMs_ThenAllAreEmittedAndTheWatermarkMovesToTheEndOfTheLatest()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);
        Play("tokyo", Tokyo, Second + 1100, Other);
        _clock.Advance(TimeSpan.FromMilliseconds(IdleFlush));

        bool flushed = _engine.FlushIfIdle(_emitted);

        Assert.True(flushed);
        Assert.Equal([Second, Second + 1000], _emitted.Select(w => w.WindowStartMs));
        Assert.Equal([OsakaLima(Second)], _emitted[0].CoPlays);
        Assert.Empty(_emitted[1].CoPlays);
        Assert.Equal(Second + 2000, _engine.WatermarkMs); // not the clock (Second + 3500)
        Assert.Equal(0, _engine.OpenWindows);
    }

    [Fact]
    public void GivenAnIdleFlush_WhenPastDatedPlaysArriveAfterThePause_ThenOnlyThoseOfEmittedWindowsAreLate()
    {
        Play("osaka", Osaka, Second + 100);
        Play("lima", Lima, Second + 200);
        _clock.Advance(TimeSpan.FromMilliseconds(IdleFlush)); // the clock reads Second + 3500
        Assert.True(_engine.FlushIfIdle(_emitted));

        IneligibleReason pastDated = Play("osaka-2", Osaka, Second + 1500);
        IneligibleReason pastDatedToo = Play("lima-2", Lima, Second + 1600);
        IneligibleReason ofTheEmittedWindow = Play("lima-3", Lima, Second + 999);

        Assert.Equal(IneligibleReason.None, pastDated);
        Assert.Equal(IneligibleReason.None, pastDatedToo);
        Assert.Equal(IneligibleReason.Late, ofTheEmittedWindow);
        _engine.FlushAll(_emitted);
        Assert.Equal([Second, Second + 1000], _emitted.Select(w => w.WindowStartMs));
        Assert.Equal([OsakaLima(Second + 1000)], _emitted[1].CoPlays);
    }

    [Fact]
    public void GivenPlaysKeepArriving_WhenLessThanIdleFlushMsPassesBetweenThem_ThenTheIdleTimerRestartsAtEachPlay()
    {
        Play("osaka", Osaka, Second + 100);
        _clock.Advance(TimeSpan.FromMilliseconds(2000));
        Play("lima", Lima, Second + 200);
        _clock.Advance(TimeSpan.FromMilliseconds(2000));

        Assert.False(_engine.FlushIfIdle(_emitted));

        _clock.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.True(_engine.FlushIfIdle(_emitted));
        Assert.Equal([OsakaLima(Second)], Assert.Single(_emitted).CoPlays);
    }

    [Fact]
    public void GivenNoOpenWindow_WhenIdle_ThenFlushIfIdleDoesNothing()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(_engine.FlushIfIdle(_emitted));
        Assert.Empty(_emitted);
        Assert.Null(_engine.WatermarkMs);
    }

    [Fact]
    public void GivenRedeliveredPlaysWithAcks_WhenTheWindowIsEmitted_ThenThePlayCountsOnceAndEveryAckIsReturned()
    {
        object first = "ack-1", redelivered = "ack-2", lima = "ack-3";
        Play("osaka", Osaka, Second + 100, ack: first);
        Play("osaka", Osaka, Second + 100, ack: redelivered);
        Play("lima", Lima, Second + 200, ack: lima);
        Play("no-ack", Lima, Second + 300);

        _engine.FlushAll(_emitted);

        EmittedWindow window = Assert.Single(_emitted);
        Assert.Equal([first, redelivered, lima], window.Acks);
        Assert.Equal(3, window.DistinctPlays);
        Assert.Equal([OsakaLima(Second, plays: 3)], window.CoPlays);
    }

    [Fact]
    public void GivenAReleasedWindow_WhenLaterWindowsAreEmitted_ThenEachHoldsOnlyItsOwnAcks()
    {
        Play("osaka", Osaka, Second + 100, ack: "ack-1");
        Play("lima", Lima, Second + 200, ack: "ack-2");
        _engine.FlushAll(_emitted);
        EmittedWindow first = Assert.Single(_emitted);
        Assert.Equal(["ack-1", "ack-2"], first.Acks);
        _emitted.Clear();

        _engine.Release(first);
        Play("later", Osaka, Second + 1100, ack: "ack-3");
        Play("latest", Lima, Second + 2100, ack: "ack-4");
        _engine.FlushAll(_emitted);

        Assert.Equal(2, _emitted.Count);
        Assert.Equal(["ack-3"], _emitted[0].Acks);
        Assert.Equal(["ack-4"], _emitted[1].Acks);
    }

    [Fact]
    public void GivenOpenWindows_WhenFlushedAll_ThenTheyAreEmittedInWindowOrderAndEmitReadyFindsNothingMore()
    {
        Play("c", Osaka, Second + 2100);
        Play("a", Osaka, Second + 100);
        Play("b", Lima, Second + 1100);

        _engine.FlushAll(_emitted);
        _engine.EmitReady(_emitted);

        Assert.Equal([Second, Second + 1000, Second + 2000], _emitted.Select(w => w.WindowStartMs));
        Assert.Equal(Second + 3000, _engine.WatermarkMs);
    }

    [Theory]
    [InlineData(-1, 3000)]
    [InlineData(2000, 0)]
    public void GivenANegativeLatenessOrNoIdleFlush_WhenCreated_ThenItThrows(long latenessMs, long idleFlushMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StreamingCoPlayEngine(new WindowAssigner(1000), latenessMs, idleFlushMs, FutureSkew, MatchingOptions.Default, _clock));
    }
}
