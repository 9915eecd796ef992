using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Composition;

/// <summary>The composition root of the streaming pipeline: settings validated up front, then transport, simulator, pipeline and sinks.</summary>
internal static class StreamingServices
{
    public static IServiceCollection AddStreamingPipeline(this IServiceCollection services, IConfiguration configuration, StreamingStage stage = StreamingStage.All)
    {
        var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
        var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
        var transport = ValidatedOptions.Bind<TransportOptions>(configuration, TransportOptions.Section, "InMemory", "PubSub", "EventHubs");
        var simulator = ValidatedOptions.Bind<SimulatorOptions>(configuration, SimulatorOptions.Section);
        var results = ValidatedOptions.Bind<ResultsOptions>(configuration, ResultsOptions.Section);
        var deadLetter = ValidatedOptions.Bind<DeadLetterOptions>(configuration, DeadLetterOptions.Section);
        var catalogOptions = ValidatedOptions.Bind<CatalogOptions>(configuration, CatalogOptions.Section);
        var archive = ValidatedOptions.Bind<ArchiveOptions>(configuration, ArchiveOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddStageSupervision(configuration);
        services.AddSingleton(Options.Create(deadLetter));
        services.AddSingleton(Options.Create(pipeline));
        services.AddSingleton(Options.Create(simulator));
        if (stage is StreamingStage.All or StreamingStage.Ingest)
        {
            // Opened now, so a missing or broken database stops the start with a message naming it.
            GeoDatabases databases = GeoDatabases.Open(geo);
            services.AddSingleton(_ => databases);

            // A long run meets every City record sooner or later: decoded in the background at the start, the records'
            // memory is flat from the first minutes instead of growing for hours.
            services.AddHostedService<CityRecordsPreload>();
        }

        services.AddSingleton<PipelineCounters>();
        services.AddTransport(configuration, transport.Kind);

        var titles = new TrackTitles();
        if (catalogOptions.Path is { Length: > 0 } catalogPath)
        {
            titles.LoadJsonl(catalogPath);
        }

        services.AddSingleton(titles);
        if (results.Jsonl is { Length: > 0 } resultsPath)
        {
            services.AddSingleton(sp => sp.Retrying(
                new JsonlCoPlaySink(resultsPath, sp.GetRequiredService<ILogger<JsonlCoPlaySink>>(), TimeSpan.FromSeconds(results.JsonlKeyHorizonSeconds)),
                new SinkTarget(StreamingComponent.ResultsJsonl, "Results:Jsonl", resultsPath)));
        }

        if (results.ParquetDir is { Length: > 0 } resultsDir)
        {
            CreateFolder("Results:ParquetDir", resultsDir);
            services.AddSingleton(sp => sp.Retrying(
                new ParquetCoPlaySink(
                    resultsDir,
                    CoPlayParquetMetadata.Of(pipeline.WindowMs, pipeline.MinDistanceKm, pipeline.MaxAccuracyRadiusKm, sp.GetService<GeoDatabases>()?.Cities),
                    sp.GetRequiredService<ILogger<ParquetCoPlaySink>>(),
                    sp.GetRequiredService<TimeProvider>()),
                new SinkTarget(StreamingComponent.ResultsParquet, "Results:ParquetDir", resultsDir)));
            if (results.RetentionHours is int hours)
            {
                services.AddHostedService(sp => new ResultsRetention(
                    resultsDir,
                    TimeSpan.FromHours(hours),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<ResultsRetention>>()));
            }
        }

        if (deadLetter.Path is { Length: > 0 } deadLetterPath)
        {
            services.AddSingleton<IDeadLetterSink>(sp =>
            {
                sp.GetRequiredService<ComponentHealth>().Track(StreamingComponent.DeadLetter);
                return new DeadLetterJsonlWriter(deadLetterPath);
            });
        }

        if (stage is StreamingStage.All or StreamingStage.Ingest && (simulator.Enabled ?? transport.Kind == TransportKind.InMemory))
        {
            services.AddSingleton(sp =>
            {
                var (playSimulator, tracks) = SimulatorFactory.Create(geo, simulator, pipeline.MaxAccuracyRadiusKm);
                sp.GetRequiredService<TrackTitles>().AddRange(tracks.Tracks);
                return playSimulator;
            });
            services.AddHostedService(sp =>
            {
                IPlayPublisher publisher = sp.GetRequiredService<IPlayPublisher>();
                if (publisher is IPublisherStatus)
                {
                    sp.GetRequiredService<ComponentHealth>().Track(StreamingComponent.Publish);
                }

                SinkTarget topic = TransportTarget(sp.GetRequiredService<IConfiguration>(), "Topic", "plays", "EventHubName");
                return ActivatorUtilities.CreateInstance<SimulatorPublisher>(sp, publisher, topic);
            });
        }

        // The stages that see raw plays archive them; the match stage's repartitioned plays have no address to keep.
        if (stage is StreamingStage.All or StreamingStage.Ingest && archive.ParquetDir is { Length: > 0 } archiveDir)
        {
            CreateFolder("Archive:ParquetDir", archiveDir);
            services.AddSingleton(sp => new ParquetArchiveSink(archive, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ParquetArchiveSink>>()));
            services.AddSingleton<IPlayArchive>(sp => sp.GetRequiredService<ParquetArchiveSink>());

            // Before the stage: hosted services stop in reverse order, so the archive flushes after the stage has stopped.
            services.AddHostedService<PlayArchiveService>();
        }

        services.AddStage(stage);
        return services;
    }

    private static void AddStage(this IServiceCollection services, StreamingStage stage)
    {
        switch (stage)
        {
            case StreamingStage.All:
                services.AddSingleton<IPlayReader>(sp => RawPlays(sp));
                services.AddStageService(sp => ActivatorUtilities.CreateInstance<StreamingPipeline>(sp, sp.GetRequiredService<IPlaySource>()));
                services.AddHostedService<StatusReporter>();
                break;
            case StreamingStage.Ingest:
                services.AddSingleton<IPlayReader>(sp => RawPlays(sp));

                // A service of the container, so that it is disposed (what it buffers sent) before the transport's connection.
                services.AddSingleton(sp => sp.GetRequiredService<IScaleOutTransport>().OpenRepartitionPublisher());
                services.AddStageService(sp =>
                {
                    IScaleOutTransport transport = sp.GetRequiredService<IScaleOutTransport>();
                    sp.GetRequiredService<ComponentHealth>().Track(StreamingComponent.Publish);
                    SinkTarget topic = TransportTarget(sp.GetRequiredService<IConfiguration>(), "RepartitionTopic", "plays-by-track", "RepartitionEventHubName");
                    return ActivatorUtilities.CreateInstance<IngestStage>(sp, transport.OpenPlays(), sp.GetRequiredService<IKeyedPublisher>(), topic);
                });
                break;
            case StreamingStage.Match:
                services.AddSingleton<IPlayReader, RepartitionedPlayReader>();
                services.AddSingleton(sp => sp.GetRequiredService<IScaleOutTransport>().OpenResultsPublisher());
                services.AddSingleton(sp =>
                {
                    IScaleOutTransport transport = sp.GetRequiredService<IScaleOutTransport>();
                    int windowMs = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.WindowMs;
                    return new ResultsPublisherSink(sp.GetRequiredService<IKeyedPublisher>(), new JsonlCoPlayMessages(), transport.MatchShards(), windowMs, sp.GetRequiredService<TimeProvider>());
                });
                services.AddSingleton(sp => sp.Retrying(sp.GetRequiredService<ResultsPublisherSink>(), ResultsTopic(sp)));
                services.AddSingleton<IWindowProgress>(sp => new RetryingWindowProgress(sp.GetRequiredService<ResultsPublisherSink>(), ResultsTopic(sp), sp.GetRequiredService<SinkRetry>()));
                services.AddStageService(sp => ActivatorUtilities.CreateInstance<StreamingPipeline>(sp, sp.GetRequiredService<IScaleOutTransport>().OpenRepartitionedPlays()));
                services.AddHostedService<StatusReporter>();
                break;
            case StreamingStage.Site:
                services.AddStageService(sp => ActivatorUtilities.CreateInstance<SiteStage>(
                    sp, sp.GetRequiredService<IScaleOutTransport>().OpenResults(sp.GetRequiredService<Web.SiteReplica>().Name), new JsonlCoPlayMessages()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage.");
        }
    }

    /// <summary>The stage, its readiness for <c>/readyz</c>, and the background service that runs its loop.</summary>
    private static void AddStageService<TStage>(this IServiceCollection services, Func<IServiceProvider, TStage> create)
        where TStage : class, IStreamingStage
    {
        services.AddSingleton(create);
        services.AddSingleton<IStageStatus>(sp => sp.GetRequiredService<TStage>());
        services.AddHostedService<StageService<TStage>>();
    }

    /// <summary>Raw plays, judged and placed with the opened geo databases.</summary>
    private static RawPlayReader RawPlays(IServiceProvider services)
    {
        GeoDatabases geo = services.GetRequiredService<GeoDatabases>();
        return new RawPlayReader(geo.Cities, geo.AnonymousIps, services.GetRequiredService<IOptions<PipelineOptions>>());
    }

    private static SinkTarget ResultsTopic(IServiceProvider services) =>
        TransportTarget(services.GetRequiredService<IConfiguration>(), "ResultsTopic", "coplays", "ResultsEventHubName");

    /// <summary>A scale-out topic or hub a stage publishes to, as failures name it: its setting and name.</summary>
    private static SinkTarget TransportTarget(IConfiguration configuration, string pubSubKey, string pubSubDefault, string eventHubsKey)
    {
        string kind = configuration["Transport:Kind"] ?? "InMemory";
        if (kind.Equals("PubSub", StringComparison.OrdinalIgnoreCase))
        {
            return new SinkTarget(StreamingComponent.Publish, $"Transport:PubSub:{pubSubKey}", configuration[$"Transport:PubSub:{pubSubKey}"] ?? pubSubDefault);
        }

        return kind.Equals("EventHubs", StringComparison.OrdinalIgnoreCase)
            ? new SinkTarget(StreamingComponent.Publish, $"Transport:EventHubs:{eventHubsKey}", configuration[$"Transport:EventHubs:{eventHubsKey}"] ?? "")
            : new SinkTarget(StreamingComponent.Publish, "Transport:Kind", kind);
    }

    private static void CreateFolder(string key, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SettingsException($"Invalid setting {key}: '{folder}' cannot be created ({e.Message}).");
        }
    }
}
