using System.Diagnostics;
using System.Globalization;
using System.Text;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Fixtures;

/// <summary>
/// The real Pub/Sub emulator on a port of its own, started and stopped by scripts/pubsub-emulator.sh, and startable
/// again on the same port: what a test needs to take the service away from a running <c>lt</c> and give it back.
/// Fails with the script's message when gcloud is missing.
/// </summary>
public sealed class PubSubEmulator : IAsyncDisposable
{
    public const string ProjectId = "lt-test";

    private readonly string _state = Path.Combine(Path.GetTempPath(), "lt-faults-pubsub-" + Guid.NewGuid().ToString("N"));

    private PubSubEmulator(int port) => Port = port;

    public int Port { get; }

    /// <summary>host:port, as PUBSUB_EMULATOR_HOST and Transport:PubSub:EmulatorHost take it.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    public bool IsRunning { get; private set; }

    public static async Task<PubSubEmulator> StartAsync()
    {
        var emulator = new PubSubEmulator(FreePorts.Next());
        await emulator.RestartAsync();
        return emulator;
    }

    /// <summary>Starts the emulator again on the same port, empty: an emulator keeps no topic across a restart.</summary>
    public async Task RestartAsync()
    {
        (int code, string error) = await ScriptAsync("start", Port.ToString(CultureInfo.InvariantCulture), _state);
        if (code != 0)
        {
            throw new InvalidOperationException($"The Pub/Sub emulator did not start (scripts/pubsub-emulator.sh exit code {code}): {error.Trim()}");
        }

        IsRunning = true;
    }

    /// <summary>Stops the emulator's whole process group; everything it held is gone.</summary>
    public async Task StopAsync()
    {
        await ScriptAsync("stop", _state);
        IsRunning = false;
    }

    /// <summary>The <c>--Transport:PubSub:…</c> arguments that point <c>lt</c> at this emulator, creating what is missing.</summary>
    public IReadOnlyList<string> Arguments(string topic, string subscription) =>
    [
        "--Transport:Kind=PubSub",
        $"--Transport:PubSub:ProjectId={ProjectId}",
        $"--Transport:PubSub:EmulatorHost={HostPort}",
        $"--Transport:PubSub:Topic={topic}",
        $"--Transport:PubSub:Subscription={subscription}",
        "--Transport:PubSub:CreateMissing=true",
    ];

    /// <summary>Publishes <paramref name="plays"/>, JSONL lines, to <paramref name="topic"/> (created if missing) and waits until each is sent.</summary>
    public async Task PublishAsync(string topic, IEnumerable<string> plays)
    {
        var options = new PubSubTransportOptions { ProjectId = ProjectId, EmulatorHost = HostPort, Topic = topic, CreateMissing = true };
        using var connection = new PubSubConnection(options, TimeProvider.System, environment: _ => null);
        await using PubSubPublisher publisher = connection.CreateRawPublisher(topic);
        foreach (string play in plays)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(play), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None);
    }

    /// <summary>The end of the emulator's own log, for a failure message: what it did with the streams and messages.</summary>
    public string LogTail(int characters = 3000)
    {
        string log = Path.Combine(_state, "emulator.log");
        try
        {
            string text = File.ReadAllText(log);
            return text[Math.Max(0, text.Length - characters)..];
        }
        catch (IOException e)
        {
            return $"({log} could not be read: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static async Task<(int Code, string Error)> ScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Lt.Root, "scripts", "pubsub-emulator.sh"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await output;
        return (process.ExitCode, await error);
    }
}
