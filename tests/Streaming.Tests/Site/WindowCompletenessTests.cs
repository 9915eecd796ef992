using ListeningTogether.Abstractions;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Streaming.Site;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Streaming.Tests.Site;

/// <summary>
/// When a site shows a window (DESIGN.md "One world view"), with scripted watermarks of three match shards: once every
/// shard's watermark passed it and each shard's announced co-plays are in; after the timeout without that, counted
/// as incomplete and logged once per shard and streak; late co-plays and redelivered watermarks change nothing shown.
/// </summary>
public sealed class WindowCompletenessTests
{
    private const long Window = 1000;
    private const long T0 = 1_800_000_000_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _clock = new();
    private readonly CountingLogger _logger = new();
    private readonly WindowCompleteness<string> _site;
    private readonly List<ShownWindow<string>> _shown = [];

    public WindowCompletenessTests() => _site = new WindowCompleteness<string>(Window, Timeout, _clock, _logger);

    [Fact]
    public void GivenEveryShardsWatermarkPastAWindowAndItsAnnouncedCoPlays_ThenTheWindowIsShownCompleteWithAllOfThem()
    {
        StartAllShards();
        Assert.Equal(CoPlayArrival.Waiting, _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a"));
        Assert.Equal(CoPlayArrival.Waiting, _site.Add(CoPlayOf(T0 + 1000, "b"), 1, "m-b"));
        _site.Add(Watermark(0, T0 + 2000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 2000, (T0 + 1000, 1)));
        Assert.Empty(Take());

        _site.Add(Watermark(2, T0 + 2000));

        ShownWindow<string> shown = Assert.Single(Take());
        Assert.Equal((T0 + 1000, WindowOutcome.Complete), (shown.WindowStartMs, shown.Outcome));
        Assert.Equal(["a", "b"], shown.CoPlays.Select(c => c.TrackId).Order(StringComparer.Ordinal));
        Assert.Equal(["m-a", "m-b"], shown.Acks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GivenALaggingShardWhoseCoPlaysArriveAfterTheOthersWatermarks_ThenTheWindowWaitsForThemAndIsShownComplete()
    {
        StartAllShards();
        _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a");
        _site.Add(Watermark(0, T0 + 3000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 3000));
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Empty(Take());

        // The lagging shard comes back: its watermark first, announcing a co-play not yet received.
        _site.Add(Watermark(2, T0 + 3000, (T0 + 1000, 1)));
        Assert.Empty(Take());
        _site.Add(CoPlayOf(T0 + 1000, "c"), 2, "m-c");

        ShownWindow<string> shown = Assert.Single(Take());
        Assert.Equal(WindowOutcome.Complete, shown.Outcome);
        Assert.Equal(["a", "c"], shown.CoPlays.Select(c => c.TrackId).Order(StringComparer.Ordinal));
        Assert.Equal(0, _logger.Warnings);
    }

    [Fact]
    public void GivenASilentShard_WhenTheTimeoutPasses_ThenWindowsAreShownIncompleteInOrderAndTheShardIsLoggedOncePerStreak()
    {
        StartAllShards();
        _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a");
        _site.Add(CoPlayOf(T0 + 2000, "b"), 1, "m-b");
        _site.Add(Watermark(0, T0 + 3000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 3000, (T0 + 2000, 1)));

        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Take());
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([(T0 + 1000, WindowOutcome.Incomplete), (T0 + 2000, WindowOutcome.Incomplete)], Take().Select(w => (w.WindowStartMs, w.Outcome)));
        Assert.Equal(1, _logger.Warnings);

        // It catches up: the next window is complete again, and a new silence is a new streak, logged again.
        _site.Add(CoPlayOf(T0 + 3000, "c"), 2, "m-c");
        _site.Add(Watermark(0, T0 + 4000));
        _site.Add(Watermark(1, T0 + 4000));
        _site.Add(Watermark(2, T0 + 4000, (T0 + 3000, 1)));
        Assert.Equal(WindowOutcome.Complete, Assert.Single(Take()).Outcome);
        _site.Add(CoPlayOf(T0 + 4000, "d"), 0, "m-d");
        _site.Add(Watermark(0, T0 + 5000, (T0 + 4000, 1)));
        _site.Add(Watermark(1, T0 + 5000));
        _clock.Advance(Timeout);
        Assert.Equal(WindowOutcome.Incomplete, Assert.Single(Take()).Outcome);
        Assert.Equal(2, _logger.Warnings);
    }

    [Fact]
    public void GivenAWindowAlreadyShown_WhenALateCoPlayOfItArrives_ThenItIsLateAndNothingIsShownAgain()
    {
        StartAllShards();
        _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a");
        _site.Add(Watermark(0, T0 + 2000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 2000));
        _clock.Advance(Timeout);
        Assert.Single(Take());

        Assert.Equal(CoPlayArrival.Late, _site.Add(CoPlayOf(T0 + 1000, "z"), 2, "m-z"));
        _site.Add(Watermark(2, T0 + 2000, (T0 + 1000, 1)));

        Assert.Empty(Take());
        Assert.Equal(0, _site.Waiting);
    }

    [Fact]
    public void GivenARedeliveredWatermarkAndCoPlay_ThenTheWindowIsShownOnceWithTheCoPlayOnce()
    {
        StartAllShards();
        ShardWatermark announcing = Watermark(0, T0 + 2000, (T0 + 1000, 1));
        _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a");
        Assert.Equal(CoPlayArrival.Repeat, _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a-again"));
        _site.Add(announcing);
        _site.Add(Watermark(1, T0 + 2000));
        _site.Add(Watermark(2, T0 + 2000));
        ShownWindow<string> shown = Assert.Single(Take());

        _site.Add(announcing);
        _site.Add(Watermark(0, T0 + 1500));

        Assert.Equal("a", Assert.Single(shown.CoPlays).TrackId);
        Assert.Empty(Take());
        Assert.Equal(CoPlayArrival.Late, _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a-third"));
    }

    [Fact]
    public void GivenAnIdleShard_ThenItIsLeftOutUntilItsNextWatermarkWithoutIdle()
    {
        StartAllShards();
        _site.Add(new ShardWatermark(2, 3, T0, Idle: true, ShardWatermark.NoCounts));
        _site.Add(CoPlayOf(T0 + 1000, "a"), 0, "m-a");
        _site.Add(Watermark(0, T0 + 2000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 2000));
        Assert.Equal(WindowOutcome.Complete, Assert.Single(Take()).Outcome);

        _site.Add(Watermark(2, T0 + 1000));
        _site.Add(CoPlayOf(T0 + 2000, "b"), 0, "m-b");
        _site.Add(Watermark(0, T0 + 3000, (T0 + 2000, 1)));
        _site.Add(Watermark(1, T0 + 3000));
        Assert.Empty(Take());
    }

    [Fact]
    public void GivenASiteThatStartedLate_ThenOnlyWindowsEndingAfterEveryShardsFirstWatermarkAreShown()
    {
        _site.Add(CoPlayOf(T0 + 1000, "seen-in-part"), 0, "m-early");
        _site.Add(Watermark(0, T0 + 2000, (T0 + 1000, 1)));
        _site.Add(Watermark(1, T0 + 2000));
        Assert.Empty(Take());

        _site.Add(Watermark(2, T0 + 2000));

        ShownWindow<string> dropped = Assert.Single(Take());
        Assert.Equal(WindowOutcome.BeforeStart, dropped.Outcome);
        Assert.Equal(["m-early"], dropped.Acks);
        Assert.Equal(CoPlayArrival.BeforeStart, _site.Add(CoPlayOf(T0 + 1000, "other"), 1, "m-other"));
        Assert.Equal(CoPlayArrival.Waiting, _site.Add(CoPlayOf(T0 + 2000, "next"), 1, "m-next"));
    }

    private void StartAllShards()
    {
        for (int k = 0; k < 3; k++)
        {
            _site.Add(Watermark(k, T0));
        }

        Assert.Equal(T0, _site.StartMs);
    }

    private List<ShownWindow<string>> Take()
    {
        _shown.Clear();
        _site.TakeReady(_shown);
        return [.. _shown];
    }

    private static ShardWatermark Watermark(int shard, long watermarkMs, params (long Start, int Count)[] counts) =>
        new(shard, 3, watermarkMs, Idle: false, counts.ToDictionary(c => c.Start, c => c.Count));

    private static CoPlay CoPlayOf(long windowStartMs, string trackId) =>
        new(windowStartMs, trackId, 2, 2, new Location(1, "Lisbon", "PT", 38.7, -9.1), new Location(2, "Tokyo", "JP", 35.7, 139.7), 11_000);

    private sealed class CountingLogger : ILogger
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
