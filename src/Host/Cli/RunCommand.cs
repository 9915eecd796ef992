using System.CommandLine;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Replay.Output;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Cli;

/// <summary><c>run</c>: the streaming pipeline as a worker, co-plays to the console and the configured sinks.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "The streaming pipeline without the web site: co-plays to the console and Results:Jsonl");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async configuration =>
        {
            using IHost host = Build(configuration);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    public static IHost Build(IConfigurationRoot configuration)
    {
        var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
        var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
        var transport = ValidatedOptions.Bind<TransportOptions>(configuration, TransportOptions.Section);
        var simulator = ValidatedOptions.Bind<SimulatorOptions>(configuration, SimulatorOptions.Section);
        var results = ValidatedOptions.Bind<ResultsOptions>(configuration, ResultsOptions.Section);
        var deadLetter = ValidatedOptions.Bind<DeadLetterOptions>(configuration, DeadLetterOptions.Section);
        var catalogOptions = ValidatedOptions.Bind<CatalogOptions>(configuration, CatalogOptions.Section);
        if (transport.Kind != TransportKind.InMemory)
        {
            throw new SettingsException($"Invalid setting Transport:Kind: {transport.Kind} is not available yet; this build has the InMemory transport.");
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Configuration = new ConfigurationManager(),
            DisableDefaults = true,
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(pipeline));
        builder.Services.AddSingleton(Options.Create(simulator));
        builder.Services.AddSingleton(_ => GeoDatabases.Open(geo));
        builder.Services.AddSingleton<PipelineCounters>();
        builder.Services.AddInMemoryTransport(configuration);

        var catalog = new TrackCatalog();
        if (catalogOptions.Path is { Length: > 0 } catalogPath)
        {
            catalog.LoadJsonl(catalogPath);
        }

        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<ICoPlayViewerSink>(sp => new ConsoleCoPlayViewer(sp.GetRequiredService<TrackCatalog>(), Console.Out));
        if (results.Jsonl is { Length: > 0 } resultsPath)
        {
            builder.Services.AddSingleton<ICoPlaySink>(_ => new JsonlCoPlaySink(resultsPath));
        }

        if (deadLetter.Path is { Length: > 0 } deadLetterPath)
        {
            builder.Services.AddSingleton<IDeadLetterSink>(_ => new DeadLetterJsonlWriter(deadLetterPath));
        }

        if (simulator.Enabled ?? transport.Kind == TransportKind.InMemory)
        {
            builder.Services.AddSingleton(sp =>
            {
                var (playSimulator, tracks) = SimulatorFactory.Create(geo, simulator, pipeline.MaxAccuracyRadiusKm);
                sp.GetRequiredService<TrackCatalog>().AddRange(tracks.Tracks);
                return playSimulator;
            });
            builder.Services.AddHostedService<SimulatorPublisher>();
        }

        builder.Services.AddSingleton<StreamingPipeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamingPipeline>());
        builder.Services.AddHostedService<StatusReporter>();
        return builder.Build();
    }
}
