using System.Diagnostics;
using System.Globalization;
using ListeningTogether.LoadTool;

// Connects many viewers to one `serve`, measures for a while, then reports delivery and latency.
// Usage: ListeningTogether.LoadTool <base-url> <viewers> <seconds>
var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8080");
int viewerCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
int seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
var hub = new Uri(baseUrl, "/hub/coplays");
var clock = TimeProvider.System;

var viewers = Enumerable.Range(0, viewerCount).Select(_ => new Viewer(hub, clock)).ToList();
var connecting = Stopwatch.StartNew();
using (var throttle = new SemaphoreSlim(50))
{
    await Task.WhenAll(viewers.Select(async v =>
    {
        await throttle.WaitAsync().ConfigureAwait(false);
        try
        {
            await v.ConnectAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            throttle.Release();
        }
    })).ConfigureAwait(false);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{viewerCount} viewers connected in {connecting.Elapsed.TotalSeconds:F1} s; measuring for {seconds} s"));
TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
viewers.ForEach(v => v.Measuring = true);
await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
viewers.ForEach(v => v.Measuring = false);
// Let in-flight messages land before comparing viewers.
await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
var process = Process.GetCurrentProcess();
double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / seconds;

var union = new HashSet<(DateTimeOffset, string)>();
viewers.ForEach(v => union.UnionWith(v.Keys()));
int complete = viewers.Count(v => v.Received == union.Count);
var push = new List<double>();
var eventTime = new List<double>();
foreach (Viewer v in viewers)
{
    var (p, e) = v.Latencies();
    push.AddRange(p);
    eventTime.AddRange(e);
}

push.Sort();
eventTime.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"co-plays pushed (union): {union.Count}; viewers that received every one: {complete}/{viewerCount} (min {viewers.Min(v => v.Received)}, max {viewers.Max(v => v.Received)})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"push -> receipt: p50 {Percentile(push, 0.50):F0} ms, p99 {Percentile(push, 0.99):F0} ms, max {Percentile(push, 1):F0} ms over {push.Count} deliveries"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"event time (window start) -> receipt: p50 {Percentile(eventTime, 0.50):F0} ms, p99 {Percentile(eventTime, 0.99):F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"load tool: {cpu * 100:F0}% of one core, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB"));
await Task.WhenAll(viewers.Select(v => v.DisposeAsync().AsTask())).ConfigureAwait(false);
return complete == viewerCount ? 0 : 1;

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
