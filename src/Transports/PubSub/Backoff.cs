namespace ListeningTogether.Transports.PubSub;

/// <summary>Exponential backoff with full jitter: each failure doubles the ceiling up to <c>max</c>; a success resets it.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, TimeProvider clock)
{
    private TimeSpan _ceiling = TimeSpan.Zero;

    public int Failures { get; private set; }

    public void Reset()
    {
        _ceiling = TimeSpan.Zero;
        Failures = 0;
    }

    /// <summary>The next delay: random in [ceiling/2, ceiling], then the ceiling doubles.</summary>
    public TimeSpan Next()
    {
        Failures++;
        if (_ceiling == TimeSpan.Zero)
        {
            _ceiling = initial;
        }

        double half = _ceiling.TotalMilliseconds / 2;
        TimeSpan delay = TimeSpan.FromMilliseconds(half + (Random.Shared.NextDouble() * half));
        _ceiling = TimeSpan.FromTicks(Math.Min(max.Ticks, _ceiling.Ticks * 2));
        return delay;
    }

    public Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Next(), clock, cancellationToken);
}
