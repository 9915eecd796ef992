using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay;
using ListeningTogether.Simulator;

namespace ListeningTogether.Host.Cli;

/// <summary><c>simulate --publish --rate R --plays N</c>: live plays (event time = now) to the configured transport.</summary>
internal static class SimulatePublish
{
    public static async Task<int> RunAsync(IConfiguration configuration, PlaySimulator simulator, double rate, long plays, CancellationToken cancellationToken)
    {
        var transport = ValidatedOptions.Bind<TransportOptions>(configuration, TransportOptions.Section, "InMemory", "PubSub", "EventHubs");
        if (transport.Kind == TransportKind.InMemory)
        {
            throw new SettingsException("simulate --publish sends plays to the configured transport, and Transport:Kind is InMemory, which lives inside one process: set Transport:Kind (e.g. PubSub).");
        }

        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddTransport(configuration, transport.Kind);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IPlayPublisher publisher = provider.GetRequiredService<IPlayPublisher>();
        var progress = new ConsoleProgress();
        long sent = 0;
        await foreach (SimulatedPlay play in simulator.LiveAsync(rate, TimeProvider.System, plays, cancellationToken).ConfigureAwait(false))
        {
            await publisher.PublishAsync(PlayJson.ToUtf8(play), cancellationToken).ConfigureAwait(false);
            if ((++sent & 0x3FF) == 0)
            {
                progress.Report(new ReplayProgress("publish", sent, plays, sent));
            }
        }

        await publisher.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress.Report(new ReplayProgress("publish", sent, plays, sent));
        progress.Finish();
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{sent:N0} plays published to the {transport.Kind} transport")).ConfigureAwait(false);
        return 0;
    }
}
