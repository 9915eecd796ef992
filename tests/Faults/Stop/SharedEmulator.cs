using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>One running Pub/Sub emulator for a collection of tests, and names no other test of it uses.</summary>
public sealed class SharedEmulator : IAsyncLifetime
{
    private PubSubEmulator? _emulator;
    private int _names;

    public PubSubEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() => _emulator = await PubSubEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>A topic or subscription name no other test uses.</summary>
    public string UniqueName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A client of the emulator, for the tests' own topics, subscriptions, publishing and reading.</summary>
    internal PubSubConnection Connect(Action<PubSubTransportOptions>? configure = null)
    {
        var options = new PubSubTransportOptions
        {
            ProjectId = PubSubEmulator.ProjectId,
            EmulatorHost = Emulator.HostPort,
            CreateMissing = true,
            AckDeadlineSeconds = StageSettings.AckDeadlineSeconds,
        };
        configure?.Invoke(options);
        return new PubSubConnection(options, TimeProvider.System, environment: _ => null);
    }
}
