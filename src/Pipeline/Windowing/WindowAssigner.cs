namespace ListeningTogether.Pipeline.Windowing;

/// <summary>Tumbling windows aligned to the Unix epoch: [N * size, (N + 1) * size).</summary>
public sealed class WindowAssigner
{
    public WindowAssigner(int windowMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMs, 1);
        if (!DividesAnHour(windowMs))
        {
            throw new ArgumentOutOfRangeException(nameof(windowMs), windowMs, "WindowMs must divide 3,600,000 so that windows never span hours.");
        }

        WindowMs = windowMs;
    }

    public int WindowMs { get; }

    /// <summary>Whether windows of <paramref name="windowMs"/> tile every hour, so that none spans two.</summary>
    public static bool DividesAnHour(int windowMs) => windowMs > 0 && 3_600_000 % windowMs == 0;

    public long WindowStart(long playedAtMs) => Math.DivRem(playedAtMs, WindowMs, out long rem) * WindowMs - (rem < 0 ? WindowMs : 0);

    public long WindowEnd(long windowStartMs) => windowStartMs + WindowMs;
}
