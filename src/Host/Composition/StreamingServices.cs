using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Replay.Output;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Composition;

/// <summary>The composition root of the streaming pipeline: settings validated up front, then transport, simulator, pipeline and sinks.</summary>
internal static class StreamingServices
{
    public static IServiceCollection AddStreamingPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
        var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
        var transport = ValidatedOptions.Bind<TransportOptions>(configuration, TransportOptions.Section, "InMemory", "PubSub", "EventHubs");
        var simulator = ValidatedOptions.Bind<SimulatorOptions>(configuration, SimulatorOptions.Section);
        var results = ValidatedOptions.Bind<ResultsOptions>(configuration, ResultsOptions.Section);
        var deadLetter = ValidatedOptions.Bind<DeadLetterOptions>(configuration, DeadLetterOptions.Section);
        var catalogOptions = ValidatedOptions.Bind<CatalogOptions>(configuration, CatalogOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(pipeline));
        services.AddSingleton(Options.Create(simulator));
        // Opened now, so a missing or broken database stops the start with a message naming it.
        GeoDatabases databases = GeoDatabases.Open(geo);
        services.AddSingleton(_ => databases);
        services.AddSingleton<PipelineCounters>();
        services.AddTransport(configuration, transport.Kind);

        var catalog = new TrackCatalog();
        if (catalogOptions.Path is { Length: > 0 } catalogPath)
        {
            catalog.LoadJsonl(catalogPath);
        }

        services.AddSingleton(catalog);
        if (results.Jsonl is { Length: > 0 } resultsPath)
        {
            services.AddSingleton<ICoPlaySink>(_ => new JsonlCoPlaySink(resultsPath));
        }

        if (deadLetter.Path is { Length: > 0 } deadLetterPath)
        {
            services.AddSingleton<IDeadLetterSink>(_ => new DeadLetterJsonlWriter(deadLetterPath));
        }

        if (simulator.Enabled ?? transport.Kind == TransportKind.InMemory)
        {
            services.AddSingleton(sp =>
            {
                var (playSimulator, tracks) = SimulatorFactory.Create(geo, simulator, pipeline.MaxAccuracyRadiusKm);
                sp.GetRequiredService<TrackCatalog>().AddRange(tracks.Tracks);
                return playSimulator;
            });
            services.AddHostedService<SimulatorPublisher>();
        }

        services.AddSingleton<StreamingPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamingPipeline>());
        services.AddHostedService<StatusReporter>();
        return services;
    }
}
