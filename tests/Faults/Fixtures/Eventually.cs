using System.Diagnostics;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.Faults.Tests.Fixtures;

/// <summary>Polls a condition until it holds or the patience runs out; a process that exits meanwhile fails the test at once.</summary>
public static class Eventually
{
    /// <summary>Returns how long the condition took to hold; fails the test naming <paramref name="what"/> if it never did.</summary>
    public static Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan patience, string what, params LtProcess[] watched) =>
        HoldsAsync(condition, patience, what, () => "", watched);

    /// <summary>
    /// As <see cref="HoldsAsync(Func{Task{bool}}, TimeSpan, string, LtProcess[])"/>; a failure also gives
    /// <paramref name="lastSeen"/>: what the condition last saw, and whatever else tells why it never held.
    /// </summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan patience, string what, Func<string> lastSeen, params LtProcess[] watched)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (LtProcess process in watched)
            {
                Assert.False(process.HasExited, $"lt exited while waiting for {what}.\n{process.Stdout}");
            }

            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet, or not any more: ask again.
            }
            catch (TaskCanceledException)
            {
                // A request that timed out: ask again.
            }

            if (clock.Elapsed > patience)
            {
                string seen = lastSeen();
                Assert.Fail($"Not within {patience.TotalSeconds:0} s: {what}.{(seen.Length > 0 ? "\n" + seen : "")}{string.Concat(watched.Select(p => "\n--- lt stdout (end)\n" + p.Stdout[Math.Max(0, p.Stdout.Length - 4000)..]))}");
            }

            await Task.Delay(200);
        }
    }
}
