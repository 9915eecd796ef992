using Azure.Core;
using Azure.Identity;
using ListeningTogether.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.EventHubs;

public static class EventHubsTransportServiceCollectionExtensions
{
    /// <summary>
    /// Registers Azure Event Hubs as the play source (a processor over the Blob checkpoint store) and the play
    /// publisher, with settings bound from <c>Transport:EventHubs</c> and validated at start.
    /// </summary>
    public static IServiceCollection AddEventHubsTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEventHubsClients(configuration);
        services.AddSingleton<IPlaySource>(sp => sp.GetRequiredService<EventHubsPlaySource>());
        services.AddSingleton<IPlayPublisher>(sp => sp.GetRequiredService<EventHubsPlayPublisher>());
        services.AddSingleton<IScaleOutTransport>(sp => sp.GetRequiredService<EventHubsScaleOut>());
        return services;
    }

    /// <summary>
    /// The source, publisher and split-stage hubs, each registered as itself, in no role yet. The split stages read
    /// raw plays from whatever <see cref="IPlaySource"/> the transport registers.
    /// </summary>
    internal static IServiceCollection AddEventHubsClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventHubsTransportOptions>()
            .Bind(configuration.GetSection(EventHubsTransportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Created only when a setting asks for it: connection strings need no credential.
        services.AddSingleton<Lazy<TokenCredential>>(_ => new(() => new DefaultAzureCredential()));
        services.AddSingleton(sp =>
        {
            EventHubsTransportOptions options = sp.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value;
            return EventHubsClientFactory.CreateCheckpointStore(options.CheckpointStore, Credential(sp));
        });
        services.AddSingleton(sp =>
        {
            EventHubsTransportOptions options = sp.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value;
            return EventHubsClientFactory.CreateProcessor(
                sp.GetRequiredService<BlobCheckpointStore>(),
                options,
                Credential(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlayProcessor>());
        });
        services.AddSingleton(sp => new EventHubsPlaySource(
            sp.GetRequiredService<EventHubsPlayProcessor>(),
            sp.GetRequiredService<BlobCheckpointStore>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value.CheckpointIntervalMs),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlaySource>()));
        services.AddSingleton(sp =>
        {
            EventHubsTransportOptions options = sp.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value;
            return new EventHubsPlayPublisher(
                EventHubsClientFactory.CreateProducer(options, Credential(sp)),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlayPublisher>());
        });
        services.AddSingleton(sp => new EventHubsScaleOut(
            sp.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value,
            sp.GetRequiredService<IPlaySource>,
            hub => Source(sp, hub),
            hub => Publisher(sp, hub),
            (hub, replicaName) => Results(sp, hub, replicaName)));
        return services;
    }

    private static EventHubsPlaySource Source(IServiceProvider sp, EventHubsTransportOptions options) => new(
        EventHubsClientFactory.CreateProcessor(
            sp.GetRequiredService<BlobCheckpointStore>(),
            options,
            Credential(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlayProcessor>()),
        sp.GetRequiredService<BlobCheckpointStore>(),
        TimeSpan.FromMilliseconds(options.CheckpointIntervalMs),
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlaySource>());

    private static EventHubsResultsSource Results(IServiceProvider sp, EventHubsTransportOptions options, string replicaName) => new(
        EventHubsClientFactory.CreateSiteConsumer(options, Credential(sp), replicaName),
        options.ResolvedEventHubName,
        options.ReceiveBufferCapacity,
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsResultsSource>());

    private static EventHubsPlayPublisher Publisher(IServiceProvider sp, EventHubsTransportOptions options) => new(
        EventHubsClientFactory.CreateProducer(options, Credential(sp)),
        options,
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventHubsPlayPublisher>());

    private static Func<TokenCredential> Credential(IServiceProvider services) =>
        () => services.GetRequiredService<Lazy<TokenCredential>>().Value;
}
