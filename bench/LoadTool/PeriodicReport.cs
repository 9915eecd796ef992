using System.Globalization;

namespace ListeningTogether.LoadTool;

/// <summary>
/// For long runs (bench/soak.sh): every interval, one line of what the viewers received in it, after which they forget
/// it, so the tool's memory stays flat however long it runs. At the end, how many viewers were still receiving.
/// </summary>
internal static class PeriodicReport
{
    /// <summary>Returns how many viewers stopped receiving: closed, or nothing for two intervals while others got pushes.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<IViewer> viewers, TimeSpan duration, TimeSpan interval, TimeProvider clock)
    {
        long startMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long[] lastReceivedMs = [.. viewers.Select(_ => startMs)];
        long lastAnyMs = startMs;
        using var timer = new PeriodicTimer(interval, clock);
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += interval)
        {
            await timer.WaitForNextTickAsync().ConfigureAwait(false);
            long nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var push = new List<double>();
            var eventTime = new List<double>();
            int receiving = 0;
            for (int i = 0; i < viewers.Count; i++)
            {
                List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> received = viewers[i].TakeReceived();
                if (received.Count == 0)
                {
                    continue;
                }

                receiving++;
                lastReceivedMs[i] = received[^1].ReceivedAtMs;
                lastAnyMs = Math.Max(lastAnyMs, lastReceivedMs[i]);
                foreach ((ReceivedCoPlay coPlay, long receivedAtMs) in received)
                {
                    push.Add(receivedAtMs - coPlay.PushedAtMs);
                    eventTime.Add(receivedAtMs - coPlay.WindowStart.ToUnixTimeMilliseconds());
                }
            }

            push.Sort();
            eventTime.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"interval t={nowMs / 1000} viewers={viewers.Count} connected={viewers.Count(v => v.IsConnected)} receiving={receiving} deliveries={push.Count} push_p50_ms={Percentile(push, 0.50):F0} push_p99_ms={Percentile(push, 0.99):F0} push_max_ms={Percentile(push, 1):F0} event_p50_ms={Percentile(eventTime, 0.50):F0} event_p99_ms={Percentile(eventTime, 0.99):F0}"));
        }

        long quietMs = (long)(2 * interval.TotalMilliseconds);
        int stopped = viewers.Where((v, i) => !v.IsConnected || lastAnyMs - lastReceivedMs[i] > quietMs).Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"viewers still receiving at the end: {viewers.Count - stopped}/{viewers.Count} (stopped: {stopped})"));
        return stopped;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
