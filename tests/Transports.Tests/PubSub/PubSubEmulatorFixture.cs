using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.Tests.Fixtures;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// The real Pub/Sub emulator, started once for the test run by scripts/pubsub-emulator.sh on a free port and
/// stopped (its whole process group) at the end. Fails with the script's message when gcloud is missing.
/// </summary>
public sealed class PubSubEmulatorFixture : IAsyncLifetime
{
    public const string ProjectId = "lt-test";

    private readonly string _state = Path.Combine(Path.GetTempPath(), "lt-pubsub-emulator-" + Guid.NewGuid().ToString("N"));
    private int _names;

    /// <summary>host:port of the running emulator.</summary>
    public string HostPort { get; private set; } = "";

    public async Task InitializeAsync()
    {
        int port = FreePort();
        (int code, string output, string error) = await ScriptAsync("start", port.ToString(System.Globalization.CultureInfo.InvariantCulture), _state);
        if (code != 0)
        {
            throw new InvalidOperationException($"The Pub/Sub emulator did not start (scripts/pubsub-emulator.sh exit code {code}): {error.Trim()}");
        }

        HostPort = output.Trim();
    }

    public async Task DisposeAsync()
    {
        await ScriptAsync("stop", _state);
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    /// <summary>A topic or subscription name no other test uses.</summary>
    public string UniqueName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}-{Guid.NewGuid().ToString("N")[..8]}";

    public PubSubTransportOptions Options(string topic, string subscription, Action<PubSubTransportOptions>? configure = null)
    {
        var options = new PubSubTransportOptions
        {
            ProjectId = ProjectId,
            EmulatorHost = HostPort,
            Topic = topic,
            Subscription = subscription,
            CreateMissing = true,
            AckDeadlineSeconds = 10,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Options that point at an address where no service listens (a port just freed), creating nothing.</summary>
    public static PubSubTransportOptions OptionsWithNoService() => new()
    {
        ProjectId = ProjectId,
        EmulatorHost = $"127.0.0.1:{FreePort()}",
        Topic = "plays",
        Subscription = "pipeline",
        CreateMissing = false,
    };

    internal static PubSubConnection Connect(PubSubTransportOptions options, TimeProvider? clock = null) =>
        new(options, clock ?? TimeProvider.System, environment: _ => null);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output, string Error)> ScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestData.Root, "scripts", "pubsub-emulator.sh"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }
}

[CollectionDefinition(Name)]
public sealed class PubSubEmulatorCollection : ICollectionFixture<PubSubEmulatorFixture>
{
    public const string Name = "Pub/Sub emulator";
}
