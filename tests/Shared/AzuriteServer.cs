using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Storage.Blobs;

namespace ListeningTogether.Tests.Shared;

/// <summary>
/// A real Azurite Blob service (npm <c>azurite</c>, installed by scripts/setup.sh) on a free loopback port, started
/// once for the test collection that uses it and stopped at its end. Fails the tests clearly when it cannot start.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>The well-known development account of Azurite; its key is public, not a secret.</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private readonly string _location = Path.Combine(Path.GetTempPath(), "lt-azurite-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The Blob endpoint, path-style: <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    public BlobServiceClient Service => new(ConnectionString);

    /// <summary>A new, empty container with a unique name, so tests never see each other's blobs.</summary>
    public async Task<BlobContainerClient> CreateContainerAsync(string prefix = "test")
    {
        BlobContainerClient container = Service.GetBlobContainerClient($"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)]);
        await container.CreateAsync();
        return container;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _process = Start(Executable());
            if (await WaitUntilListeningAsync(_process))
            {
                return;
            }

            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start on 127.0.0.1 in three attempts (each given {StartTimeout.TotalSeconds:0} s). Its output:{Environment.NewLine}{Output()}");
            }
        }
    }

    /// <summary>
    /// Stops the server as an outage would, with SIGTERM so that it saves what it acknowledged (it keeps its blob
    /// index in memory and writes it to the data folder every few seconds): nothing answers on <see cref="Port"/>
    /// until <see cref="RestartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var term = Process.Start(new ProcessStartInfo("kill")
            {
                ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                UseShellExecute = false,
            })!;
            await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not stop by itself; Stop kills it.
            }
        }

        Stop();
    }

    /// <summary>Starts the server again on the same port and data folder, so the blobs written before are there again.</summary>
    public async Task RestartAsync()
    {
        Stop();
        _process = Start(Executable());
        if (!await WaitUntilListeningAsync(_process))
        {
            Stop();
            throw new InvalidOperationException($"Azurite did not start again on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{Output()}");
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        if (Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static string Executable()
    {
        string executable = Path.Combine(RepositoryPaths.Root, "tools", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run scripts/setup.sh.");
        }

        return executable;
    }

    private Process Start(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", _location, "--skipApiVersionCheck", "--disableTelemetry", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitUntilListeningAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private void Stop()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
            _process = null;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
