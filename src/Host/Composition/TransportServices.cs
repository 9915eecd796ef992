using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.InMemory;
using ListeningTogether.Transports.Migration;
using ListeningTogether.Transports.PubSub;

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
                ValidatedOptions.Bind<PubSubTransportOptions>(configuration, PubSubTransportOptions.Section);
                ValidatedOptions.Bind<EventHubsTransportOptions>(configuration, EventHubsTransportOptions.Section);
                return services.AddMigrationTransport(configuration);
            default:
                throw new SettingsException($"Invalid setting Transport:Kind: {kind} is not a transport of this build.");
        }
    }
}
