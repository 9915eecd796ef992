namespace ListeningTogether.Bench;

/// <summary>A clock that stands still at a chosen time (the end of the benchmark's event times).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
