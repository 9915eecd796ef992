using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ListeningTogether.Tests.Shared;

/// <summary>A real redis-server (Debian package, installed by scripts/setup.sh) on a free loopback port, for the backplane tests.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    public async Task InitializeAsync()
    {
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server on <see cref="Port"/> (again, after <see cref="StopAsync"/>) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is missing: run ./scripts/setup.sh, which installs the Debian package redis-server.", e);
        }

        DateTime giveUp = DateTime.UtcNow.AddSeconds(15);
        while (!await AnswersPingAsync())
        {
            if (DateTime.UtcNow > giveUp || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server did not answer on 127.0.0.1:{Port}.");
            }

            await Task.Delay(50);
        }
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Stops the server, as a crash would; <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            byte[] reply = new byte[16];
            int read = await stream.ReadAsync(reply);
            return Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
