using ListeningTogether.Abstractions;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.InMemory;

/// <summary>Registration: one transport instance behind both ports, its capacity bound and validated from Transport:InMemory.</summary>
public sealed class AddInMemoryTransportTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddInMemoryTransport(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void GivenTheRegistration_WhenBothPortsAreResolved_ThenTheyAreTheSameTransport()
    {
        using ServiceProvider provider = Build();

        var transport = provider.GetRequiredService<InMemoryTransport>();

        Assert.Same(transport, provider.GetRequiredService<IPlaySource>());
        Assert.Same(transport, provider.GetRequiredService<IPlayPublisher>());
    }

    [Fact]
    public async Task GivenACapacitySetting_WhenResolved_ThenTheChannelHoldsThatManyBeforePublishersWait()
    {
        using ServiceProvider provider = Build(("Transport:InMemory:Capacity", "2"));
        var transport = provider.GetRequiredService<InMemoryTransport>();

        await transport.PublishAsync(new byte[] { 1 }, CancellationToken.None);
        await transport.PublishAsync(new byte[] { 2 }, CancellationToken.None);
        ValueTask third = transport.PublishAsync(new byte[] { 3 }, CancellationToken.None);

        Assert.Equal(2, provider.GetRequiredService<IOptions<InMemoryTransportOptions>>().Value.Capacity);
        Assert.False(third.IsCompleted);
        Assert.True(transport.TryRead(out _));
        await third.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, transport.Published);
    }

    [Fact]
    public void GivenACapacityOfZero_WhenTheTransportIsResolved_ThenValidationFailsNamingCapacity()
    {
        using ServiceProvider provider = Build(("Transport:InMemory:Capacity", "0"));

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<InMemoryTransport>());

        Assert.Equal("DataAnnotation validation failed for 'InMemoryTransportOptions' members: 'Capacity' with the error: 'The field Capacity must be between 1 and 10000000.'.", e.Message);
    }
}
