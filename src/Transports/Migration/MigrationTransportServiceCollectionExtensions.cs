using ListeningTogether.Abstractions;
using ListeningTogether.Transports.EventHubs;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ListeningTogether.Transports.Migration;

public static class MigrationTransportServiceCollectionExtensions
{
    /// <summary>
    /// Both clouds at once while moving from one to the other: plays are read from the Pub/Sub subscription and
    /// the Event Hub (a play on both counts once), and published to Event Hubs, the destination. Split stages run
    /// on Event Hubs; only raw plays come from both clouds.
    /// </summary>
    public static IServiceCollection AddMigrationTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPubSubClients(configuration);
        services.AddEventHubsClients(configuration);
        services.AddSingleton<IPlaySource>(sp => new MergedPlaySource(
            [sp.GetRequiredService<PubSubSubscriber>(), sp.GetRequiredService<EventHubsPlaySource>()]));
        services.AddSingleton<IPlayPublisher>(sp => sp.GetRequiredService<EventHubsPlayPublisher>());
        services.AddSingleton<IScaleOutTransport>(sp => new MigrationScaleOut(
            sp.GetRequiredService<IPlaySource>(), sp.GetRequiredService<EventHubsScaleOut>()));
        return services;
    }
}
