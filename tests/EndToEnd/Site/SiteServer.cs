using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>
/// The real <c>lt serve</c> on a loopback port with the built-in simulator at 2,000 plays/s and the real City
/// database: started, waited for (/readyz), stopped with SIGINT as Ctrl+C would.
/// </summary>
public sealed class SiteServer : IDisposable
{
    public const int PlaysPerSecond = 2000;

    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(30);

    private readonly LtProcess _process;
    private readonly Stopwatch _sinceStart;
    private bool _disposed;

    private SiteServer(LtProcess process, int port, Stopwatch sinceStart)
    {
        _process = process;
        Port = port;
        _sinceStart = sinceStart;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT, the origin of every request the page may make.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>Time since the process was started.</summary>
    public TimeSpan SinceStart => _sinceStart.Elapsed;

    /// <summary>A port nobody listens on now: bound to port 0, read, released.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts <c>lt serve</c> on <paramref name="port"/> without waiting for it; <paramref name="more"/> go last.</summary>
    public static SiteServer Start(int port, IEnumerable<string>? more = null)
    {
        Lt.RequireRealCityDb();
        var sinceStart = Stopwatch.StartNew();
        LtProcess process = Lt.Start(
        [
            "serve",
            $"--Urls=http://127.0.0.1:{port}",
            $"--Simulator:PlaysPerSecond={PlaysPerSecond}",
            .. more ?? [],
        ]);
        return new SiteServer(process, port, sinceStart);
    }

    /// <summary>Starts <c>lt serve</c> and waits until /readyz answers 200.</summary>
    public static async Task<SiteServer> StartReadyAsync(int port, IEnumerable<string>? more = null)
    {
        SiteServer server = Start(port, more);
        await server.WaitUntilReadyAsync();
        return server;
    }

    public async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
            {
                LtResult result = await _process.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.Fail($"lt serve exited before it was ready: {result}");
            }

            if (SinceStart > ReadyWithin)
            {
                Assert.Fail($"lt serve was not ready within {ReadyWithin.TotalSeconds} s.\n--- stdout\n{_process.Stdout}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(Origin + "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// SIGINT; a server still running after <paramref name="grace"/> is killed, as Kubernetes would after its grace
    /// period. Returns what it left when it exited by itself, null when it had to be killed.
    /// </summary>
    public async Task<LtResult?> InterruptAsync(TimeSpan grace)
    {
        await _process.InterruptAsync();
        var waiting = Stopwatch.StartNew();
        while (!_process.HasExited && waiting.Elapsed < grace)
        {
            await Task.Delay(50);
        }

        if (!_process.HasExited)
        {
            Dispose();
            return null;
        }

        return await _process.WaitAsync(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _process.Dispose();
        }
    }
}
