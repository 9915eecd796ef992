using System.Runtime.CompilerServices;
using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Simulator;

/// <summary>
/// Realistic synthetic play records: cities by population and local time of day, an address from the City
/// database's own networks of that city, tracks by Zipf popularity, and dirty input at the configured rates.
/// Every call starts a new stream from the seed, so the same seed gives the same records.
/// </summary>
public sealed class PlaySimulator
{
    private static readonly TimeSpan LiveTick = TimeSpan.FromMilliseconds(10);

    private readonly ListenerCities _cities;
    private readonly TrackCatalog _catalog;
    private readonly SimulatorRates _rates;
    private readonly int _seed;

    public PlaySimulator(ListenerCities cities, TrackCatalog catalog, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(cities);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        _cities = cities;
        _catalog = catalog;
        _rates = SimulatorRates.From(options);
        _seed = options.Seed;
    }

    /// <summary>The longest a play's event time lags behind the stream: records come in event-time order up to this disorder (redeliveries aside).</summary>
    public static TimeSpan MaxDisorder => TimeSpan.FromMilliseconds(PlayGenerator.MaxDelayMs);

    /// <summary>
    /// <paramref name="count"/> records (redeliveries and malformed ones included) with event times in
    /// [<paramref name="start"/>, <paramref name="start"/> + <paramref name="duration"/>), spread evenly and
    /// emitted in event-time order up to <see cref="MaxDisorder"/>.
    /// </summary>
    public IEnumerable<SimulatedPlay> Batch(long count, DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long startMs = CeilingMs(start);
        long spanMs = CeilingMs(start + duration) - startMs;
        if (spanMs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must hold at least one millisecond.");
        }

        return BatchCore(count, startMs, spanMs);
    }

    /// <summary>
    /// Records at <paramref name="playsPerSecond"/> with event times of now on <paramref name="clock"/> (less a
    /// client delay of up to <see cref="MaxDisorder"/>), until <paramref name="maxPlays"/> or cancellation. A consumer
    /// that falls more than a second behind skips plays rather than getting a burst.
    /// </summary>
    public async IAsyncEnumerable<SimulatedPlay> LiveAsync(
        double playsPerSecond,
        TimeProvider clock,
        long maxPlays = long.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(playsPerSecond);
        ArgumentNullException.ThrowIfNull(clock);
        var generator = new PlayGenerator(_cities, _catalog, _rates, _seed);
        long started = clock.GetTimestamp();
        long burstLimit = Math.Max(1, (long)playsPerSecond);
        long scheduled = 0, sent = 0;
        while (sent < maxPlays)
        {
            long due = (long)(clock.GetElapsedTime(started).TotalSeconds * playsPerSecond);
            scheduled = Math.Max(scheduled, due - burstLimit);
            if (due <= scheduled)
            {
                await Task.Delay(LiveTick, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            long nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            for (; scheduled < due && sent < maxPlays; scheduled++, sent++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return generator.Next(nowMs, long.MinValue);
            }
        }
    }

    private IEnumerable<SimulatedPlay> BatchCore(long count, long startMs, long spanMs)
    {
        var generator = new PlayGenerator(_cities, _catalog, _rates, _seed);
        for (long i = 0; i < count; i++)
        {
            long offset = (long)((double)i / count * spanMs);
            yield return generator.Next(startMs + Math.Min(offset, spanMs - 1), startMs);
        }
    }

    private static long CeilingMs(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerMillisecond) + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }
}
