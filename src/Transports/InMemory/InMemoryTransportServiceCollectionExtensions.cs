using ListeningTogether.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.InMemory;

public static class InMemoryTransportServiceCollectionExtensions
{
    /// <summary>Registers the in-process transport as the play source and publisher.</summary>
    public static IServiceCollection AddInMemoryTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InMemoryTransportOptions>()
            .Bind(configuration.GetSection(InMemoryTransportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new InMemoryTransport(sp.GetRequiredService<IOptions<InMemoryTransportOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPlaySource>(sp => sp.GetRequiredService<InMemoryTransport>());
        services.AddSingleton<IPlayPublisher>(sp => sp.GetRequiredService<InMemoryTransport>());
        services.AddSingleton<IScaleOutTransport>(sp =>
        {
            InMemoryTransportOptions options = sp.GetRequiredService<IOptions<InMemoryTransportOptions>>().Value;
            TimeProvider clock = sp.GetRequiredService<TimeProvider>();
            return new InMemoryScaleOut(sp.GetRequiredService<InMemoryTransport>(), new InMemoryTransport(options, clock), new InMemoryTransport(options, clock), () => new InMemoryTransport(options, clock));
        });
        return services;
    }
}
