using ListeningTogether.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.PubSub;

public static class PubSubTransportServiceCollectionExtensions
{
    /// <summary>
    /// Registers Pub/Sub as the play source (the <c>Subscription</c> on <c>Topic</c>) and publisher (to <c>Topic</c>),
    /// with <c>Transport:PubSub</c> bound and validated at start. Needs a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddPubSubTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPubSubClients(configuration);
        services.AddSingleton<IPlaySource>(sp => sp.GetRequiredService<PubSubSubscriber>());
        services.AddSingleton<IPlayPublisher>(sp => sp.GetRequiredService<PubSubPublisher>());
        services.AddSingleton<IScaleOutTransport>(sp => sp.GetRequiredService<PubSubScaleOut>());
        return services;
    }

    /// <summary>The subscriber, publisher and split-stage topics, each registered as itself, in no role yet.</summary>
    internal static IServiceCollection AddPubSubClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PubSubTransportOptions>()
            .Bind(configuration.GetSection(PubSubTransportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new PubSubConnection(
            sp.GetRequiredService<IOptions<PubSubTransportOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PubSubTransportOptions>>().Value;
            return sp.GetRequiredService<PubSubConnection>().CreateSubscriber(options.Subscription, options.Topic);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PubSubTransportOptions>>().Value;
            return sp.GetRequiredService<PubSubConnection>().CreatePublisher(options.Topic, options.Subscription);
        });
        services.AddSingleton(sp => new PubSubScaleOut(
            sp.GetRequiredService<PubSubConnection>(), sp.GetRequiredService<IOptions<PubSubTransportOptions>>().Value, Environment.GetEnvironmentVariable));
        return services;
    }
}
