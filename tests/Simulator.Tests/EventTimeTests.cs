using ListeningTogether.Abstractions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class EventTimeTests(RealWorldFixture world)
{
    [Theory]
    [InlineData(100_000, 10)]
    [InlineData(1_000, 60)]
    [InlineData(10, 1)]
    public void GivenABatch_WhenSimulating_ThenEventTimesAreInsideTheSpan_InOrderUpToTheDisorderBound(int plays, int minutes)
    {
        var start = RealWorldFixture.Start.AddTicks(1234); // not on a millisecond: the first allowed time is the next one
        var end = start.AddMinutes(minutes);
        var records = world.Simulator().Batch(plays, start, TimeSpan.FromMinutes(minutes)).ToList();

        Assert.Equal(plays, records.Count);
        Assert.All(records, r => Assert.InRange(r.PlayedAt, start, end.AddTicks(-1)));
        long latest = records[0].PlayedAtMs;
        foreach (var record in records.Where(r => !r.IsRedelivery))
        {
            Assert.True(latest - record.PlayedAtMs <= PlaySimulator.MaxDisorder.TotalMilliseconds, $"{record.PlayedAt:O} after {latest}");
            latest = Math.Max(latest, record.PlayedAtMs);
        }

        Assert.True(records[^1].PlayedAt > end.AddSeconds(-2 * minutes * 60.0 / plays) - PlaySimulator.MaxDisorder, "the batch spans the whole period");
    }

    [Fact]
    public async Task GivenALiveRate_WhenTheClockAdvances_ThenPlaysComeAtThatRateWithEventTimeNow()
    {
        var clock = new FakeTimeProvider(RealWorldFixture.Start);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<SimulatedPlay>();
        var plays = world.Simulator().LiveAsync(2_000, clock, maxPlays: 5_000, cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        try
        {
            while (true)
            {
                // A pending MoveNextAsync means the stream waits for its next tick of the clock.
                var next = plays.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(10));
                }

                if (!await next)
                {
                    break;
                }

                received.Add(plays.Current);
            }
        }
        finally
        {
            await plays.DisposeAsync();
        }

        Assert.Equal(5_000, received.Count);
        Assert.Equal(RealWorldFixture.Start.AddSeconds(2.5), clock.GetUtcNow());
        var now = clock.GetUtcNow();
        Assert.All(received, p => Assert.InRange(p.PlayedAt, RealWorldFixture.Start.AddMilliseconds(10) - PlaySimulator.MaxDisorder, now));
        Assert.All(received.TakeLast(20), p => Assert.InRange(p.PlayedAt, now - PlaySimulator.MaxDisorder - TimeSpan.FromMilliseconds(50), now));
    }

    [Fact]
    public async Task GivenALiveStream_WhenCancelled_ThenItStops()
    {
        var clock = new FakeTimeProvider(RealWorldFixture.Start);
        using var cancellation = new CancellationTokenSource();
        var simulator = new PlaySimulator(world.Cities, world.Catalog, new SimulatorOptions());
        var enumerator = simulator.LiveAsync(100, clock, cancellationToken: cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        await enumerator.DisposeAsync();
    }
}
