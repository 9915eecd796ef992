using System.Diagnostics;
using System.Globalization;
using System.Net;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// A streaming <c>lt</c> process on a port of its own: started and awaited until <c>/readyz</c> answers 200, its
/// Prometheus counters, and its end by SIGTERM (held to Kubernetes' grace period and a clean exit) or SIGKILL.
/// </summary>
public sealed class StageProcess : IDisposable
{
    /// <summary>Kubernetes' default terminationGracePeriodSeconds: after it the pod is killed.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    private readonly HttpClient _http;

    private StageProcess(string name, LtProcess process, int port)
    {
        Name = name;
        Process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>What the test calls it in messages, e.g. "the first match stage".</summary>
    public string Name { get; }

    public LtProcess Process { get; }

    public Uri Address { get; }

    public static async Task<StageProcess> StartAsync(string name, IEnumerable<string> arguments)
    {
        int port = FreePorts.Next();
        var stage = new StageProcess(name, Lt.Start([.. arguments, $"--Urls=http://127.0.0.1:{port}"]), port);
        try
        {
            await Eventually.HoldsAsync(
                async () => (await stage._http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
                StartPatience,
                $"{name} to answer /readyz with 200",
                stage.Process);
            return stage;
        }
        catch
        {
            stage.Dispose();
            throw;
        }
    }

    /// <summary>The sum of every sample of a Prometheus metric, e.g. <c>lt_plays_total</c> over all outcomes.</summary>
    public async Task<double> MetricAsync(string name)
    {
        string text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Sends SIGTERM and holds the stage to what DESIGN.md promises: it ends within the grace period with exit code
    /// 0, nothing on stderr and no failure in its log. Returns what it wrote and how long it took to stop.
    /// </summary>
    public async Task<(LtResult Result, TimeSpan Took)> TerminateAsync()
    {
        var clock = Stopwatch.StartNew();
        await Process.SignalAsync("TERM");
        LtResult result = await Process.WaitAsync(GracePeriod);
        TimeSpan took = clock.Elapsed;
        Assert.True(result.ExitCode == 0, $"{Name} ended with exit code {result.ExitCode} on SIGTERM, not 0.\n{result}");
        Assert.True(result.Stderr.Length == 0, $"{Name} wrote to stderr on SIGTERM.\n{result}");
        string[] failures = [.. result.Stdout.Split('\n').Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal))];
        Assert.True(failures.Length == 0, $"{Name} logged failures:\n{string.Join('\n', failures)}\n{result}");
        return (result, took);
    }

    /// <summary>Sends SIGKILL, as a node failure or the OOM killer would, and waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        await Process.SignalAsync("KILL");
        await Process.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        _http.Dispose();
        Process.Dispose();
    }
}
