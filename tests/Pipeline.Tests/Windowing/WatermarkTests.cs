using ListeningTogether.Pipeline.Windowing;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Pipeline.Tests.Windowing;

/// <summary>
/// When windows are complete, apart from where plays go: the largest playedAt seen minus the allowed lateness, never
/// moving back; idle after the idle-flush time without plays; held put for the start hold (DESIGN.md "Streaming semantics").
/// </summary>
public sealed class WatermarkTests
{
    private const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z
    private const long Lateness = 2000;
    private const long IdleFlush = 3000;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Second + 10_000));

    private Watermark Create(long startHoldMs = 0) => new(Lateness, IdleFlush, maxFutureSkewMs: 60_000, _clock, startHoldMs);

    [Fact]
    public void GivenNoPlay_WhenAsked_ThenThereIsNoWatermarkAndNoWindowIsComplete()
    {
        Watermark watermark = Create();

        Assert.Null(watermark.Ms);
        Assert.False(watermark.HasReached(long.MinValue + 1));
    }

    [Theory]
    [InlineData(new long[] { Second }, Second - Lateness)]
    [InlineData(new long[] { Second, Second + 500 }, Second + 500 - Lateness)]
    [InlineData(new long[] { Second + 500, Second }, Second + 500 - Lateness)]
    public void GivenPlays_WhenObserved_ThenTheWatermarkIsTheLatestMinusTheLatenessAndNeverMovesBack(long[] playedAtMs, long expected)
    {
        Watermark watermark = Create();

        foreach (long p in playedAtMs)
        {
            watermark.Observe(p);
        }

        Assert.Equal(expected, watermark.Ms);
        Assert.True(watermark.HasReached(expected));
        Assert.False(watermark.HasReached(expected + 1));
    }

    [Fact]
    public void GivenAPlay_WhenTheIdleFlushTimePassesWithoutAnother_ThenTheStreamIsIdleUntilTheNextPlay()
    {
        Watermark watermark = Create();
        watermark.Observe(Second);

        _clock.Advance(TimeSpan.FromMilliseconds(IdleFlush - 1));
        bool early = watermark.IsIdle;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        bool idle = watermark.IsIdle;
        watermark.Observe(Second + 1);

        Assert.Equal((false, true, false), (early, idle, watermark.IsIdle));
    }

    [Fact]
    public void GivenAFlushedWindow_WhenAdvancedToItsEnd_ThenTheWatermarkMovesThereButNeverBack()
    {
        Watermark watermark = Create();
        watermark.Observe(Second + 5000);

        watermark.AdvanceTo(Second + 1000);
        long? unmoved = watermark.Ms;
        watermark.AdvanceTo(Second + 4000);

        Assert.Equal((Second + 3000, Second + 4000), (unmoved, watermark.Ms));
    }

    [Fact]
    public void GivenAStartHold_WhenPlaysArriveDuringIt_ThenTheWatermarkStaysUntilTheHoldEnds()
    {
        Watermark watermark = Create(startHoldMs: 10_000);
        watermark.Observe(Second);

        _clock.Advance(TimeSpan.FromMilliseconds(9_999));
        watermark.EndHoldIfDue();
        long? held = watermark.Ms;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        watermark.EndHoldIfDue();

        Assert.Equal((null, Second - Lateness), (held, watermark.Ms));
    }

    [Theory]
    [InlineData(60_000, false)]
    [InlineData(60_001, true)]
    public void GivenAPlayAheadOfTheClock_WhenJudged_ThenOnlyOneBeyondTheSkewIsTooFarAhead(long aheadMs, bool tooFar)
    {
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();

        Assert.Equal(tooFar, Create().IsTooFarAhead(now + aheadMs));
    }
}
