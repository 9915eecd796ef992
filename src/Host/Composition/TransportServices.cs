using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.InMemory;
using ListeningTogether.Transports.Migration;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ListeningTogether.Host.Composition;

/// <summary>Registers the play source and publisher of <c>Transport:Kind</c>, its settings checked first so a bad key is named.</summary>
internal static class TransportServices
{
    public static IServiceCollection AddTransport(this IServiceCollection services, IConfiguration configuration, TransportKind kind)
    {
        switch (kind)
        {
            case TransportKind.InMemory:
                return services.AddInMemoryTransport(configuration);
            case TransportKind.PubSub:
                ValidatedOptions.Bind<PubSubTransportOptions>(configuration, PubSubTransportOptions.Section);
                return services.AddPubSubTransport(configuration);
            case TransportKind.EventHubs:
                ValidatedOptions.Bind<EventHubsTransportOptions>(configuration, EventHubsTransportOptions.Section);
                return services.AddEventHubsTransport(configuration);
            case TransportKind.Migration:
                return services.AddMigrationTransport(configuration);
            default:
                throw new SettingsException($"Invalid setting Transport:Kind: {kind} is not a transport of this build.");
        }
    }

    /// <summary>
    /// Both clouds at once while moving from one to the other: plays are read from the Pub/Sub subscription and
    /// the Event Hub (a play on both counts once), and published to Event Hubs, the destination.
    /// </summary>
    private static IServiceCollection AddMigrationTransport(this IServiceCollection services, IConfiguration configuration)
    {
        ValidatedOptions.Bind<PubSubTransportOptions>(configuration, PubSubTransportOptions.Section);
        ValidatedOptions.Bind<EventHubsTransportOptions>(configuration, EventHubsTransportOptions.Section);
        services.AddPubSubTransport(configuration);
        services.AddEventHubsTransport(configuration);
        ServiceDescriptor[] sources = [.. services.Where(d => d.ServiceType == typeof(IPlaySource))];
        foreach (ServiceDescriptor source in sources)
        {
            services.Remove(source);
        }

        services.AddSingleton<IPlaySource>(sp => new MergedPlaySource([.. sources.Select(d => (IPlaySource)d.ImplementationFactory!(sp))]));

        // Split stages run on Event Hubs, the destination; only raw plays come from both clouds.
        ServiceDescriptor eventHubs = services.Last(d => d.ServiceType == typeof(IScaleOutTransport));
        services.RemoveAll<IScaleOutTransport>();
        services.AddSingleton<IScaleOutTransport>(sp => new MigrationScaleOut(sp.GetRequiredService<IPlaySource>(), (IScaleOutTransport)eventHubs.ImplementationFactory!(sp)));
        return services;
    }
}
