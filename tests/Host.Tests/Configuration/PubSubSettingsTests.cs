using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ListeningTogether.Host.Tests.Fixtures.InMemorySettings;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>Transport:Kind=PubSub in the Host: its settings checked at start naming the key, and the pipeline wired to the subscription.</summary>
public sealed class PubSubSettingsTests
{
    [Fact]
    public void GivenPubSubWithoutAProjectId_WhenTheRunHostIsBuilt_ThenTheErrorNamesTheKey()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(("Transport:Kind", "PubSub"), ("Geo:CityDb", TestData.CityTestDb))));

        Assert.Equal("Invalid setting Transport:PubSub:ProjectId: The ProjectId field is required.", e.Message);
    }

    [Fact]
    public void GivenAMisspelledPubSubSetting_WhenTheRunHostIsBuilt_ThenTheErrorNamesIt()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(
            ("Transport:Kind", "PubSub"),
            ("Transport:PubSub:ProjectId", "p"),
            ("Transport:PubSub:Stream", "3"),
            ("Geo:CityDb", TestData.CityTestDb))));

        Assert.StartsWith("Invalid setting Transport:PubSub:Stream: there is no such setting (known: ProjectId, Topic, Subscription, EmulatorHost, Streams,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenPubSubSettings_WhenTheRunHostIsBuilt_ThenThePipelineReadsTheSubscriptionAndTheSimulatorIsOff()
    {
        using IHost host = RunCommand.Build(Settings(
            ("Transport:Kind", "PubSub"),
            ("Transport:PubSub:ProjectId", "lt-test"),
            ("Transport:PubSub:EmulatorHost", "127.0.0.1:1"),
            ("Transport:PubSub:Subscription", "coplay-workers"),
            ("Geo:CityDb", TestData.CityTestDb)));

        var source = Assert.IsType<PubSubSubscriber>(host.Services.GetRequiredService<IPlaySource>());
        Assert.Equal("projects/lt-test/subscriptions/coplay-workers", source.Subscription);
        Assert.Equal("projects/lt-test/topics/plays", Assert.IsType<PubSubPublisher>(host.Services.GetRequiredService<IPlayPublisher>()).Topic);
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is SimulatorPublisher);
        await ((IAsyncDisposable)host).DisposeAsync();
    }
}
