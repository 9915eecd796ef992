using System.Diagnostics;
using System.Globalization;
using ListeningTogether.LoadTool;

// Connects many viewers to one `serve`, measures for a while, then reports delivery and latency.
// Usage: ListeningTogether.LoadTool <base-url> <viewers> <seconds> [raw|signalr-client] [report-every-seconds]
// raw (the default) reads pushes off a bare WebSocket; signalr-client uses the official .NET client, which
// deserializes every push before the receipt time is taken (see RawViewer).
// With report-every-seconds, one line per interval instead of one report at the end (see PeriodicReport); the exit
// code is then 0 only if every viewer was still receiving at the end.
var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8080");
int viewerCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
int seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
bool officialClient = args.Length > 3 && args[3] == "signalr-client";
int reportEvery = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var hub = new Uri(baseUrl, "/hub/coplays");
var clock = TimeProvider.System;
using var http = new HttpClient();

List<IViewer> viewers = [.. Enumerable.Range(0, viewerCount).Select(IViewer (_) => officialClient ? new Viewer(hub, clock) : new RawViewer(hub, http, clock))];
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

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{viewerCount} viewers ({(officialClient ? "official SignalR client" : "raw WebSocket")}) connected in {connecting.Elapsed.TotalSeconds:F1} s; measuring for {seconds} s"));
if (reportEvery > 0)
{
    int stopped = await PeriodicReport.RunAsync(viewers, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(reportEvery), clock).ConfigureAwait(false);
    await Task.WhenAll(viewers.Select(v => v.DisposeAsync().AsTask())).ConfigureAwait(false);
    return stopped == 0 ? 0 : 1;
}

TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
TimeSpan gcPauseBefore = GC.GetTotalPauseDuration();
long fromMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
long toMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
var process = Process.GetCurrentProcess();
double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / seconds;
double gcPauseMs = (GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds;

// Let what was pushed before toMs land, then judge only the pushes made within the measured span.
await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
var received = viewers.Select(v => v.PushedBetween(fromMs, toMs)).ToList();
var union = new HashSet<(DateTimeOffset, string)>(received.SelectMany(r => r.Select(x => (x.CoPlay.WindowStart, x.CoPlay.TrackId))));
int complete = received.Count(r => r.Select(x => (x.CoPlay.WindowStart, x.CoPlay.TrackId)).Distinct().Count() == union.Count);
var push = received.SelectMany(r => r.Select(x => (double)(x.ReceivedAtMs - x.CoPlay.PushedAtMs))).Order().ToList();
var eventTime = received.SelectMany(r => r.Select(x => (double)(x.ReceivedAtMs - x.CoPlay.WindowStart.ToUnixTimeMilliseconds()))).Order().ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"co-plays pushed while measuring (union): {union.Count}; viewers that received every one: {complete}/{viewerCount} (min {received.Min(r => r.Count)}, max {received.Max(r => r.Count)})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"push -> receipt: p50 {Percentile(push, 0.50):F0} ms, p99 {Percentile(push, 0.99):F0} ms, max {Percentile(push, 1):F0} ms over {push.Count} deliveries"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"event time (window start) -> receipt: p50 {Percentile(eventTime, 0.50):F0} ms, p99 {Percentile(eventTime, 0.99):F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"load tool: {cpu * 100:F0}% of one core, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB, GC pauses {gcPauseMs:F0} ms in the {seconds} s"));
await Task.WhenAll(viewers.Select(v => v.DisposeAsync().AsTask())).ConfigureAwait(false);
return complete == viewerCount ? 0 : 1;

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
