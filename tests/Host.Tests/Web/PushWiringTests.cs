using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Web;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>DESIGN.md Push:Kind: the hub reaches viewers through this process, Redis or Azure SignalR Service by configuration alone.</summary>
public sealed class PushWiringTests
{
    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Simulator:Enabled"] = "false",
            ["Geo:CityDb"] = TestData.CityTestDb,
            ["Urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    private static string LifetimeManagerOf(IHost host) =>
        host.Services.GetRequiredService<HubLifetimeManager<CoPlayHub>>().GetType().Name;

    [Fact]
    public void GivenTheDefaults_WhenServeIsBuilt_ThenViewersAreHeldInThisProcess()
    {
        using IHost host = Build();

        Assert.StartsWith("DefaultHubLifetimeManager", LifetimeManagerOf(host), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPushKindRedis_WhenServeIsBuilt_ThenTheRedisBackplaneCarriesPushes()
    {
        using IHost host = Build(("Push:Kind", "Redis"), ("Push:Redis:ConnectionString", "127.0.0.1:6390,abortConnect=false"));

        Assert.StartsWith("RedisHubLifetimeManager", LifetimeManagerOf(host), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPushKindAzureSignalR_WhenServeIsBuilt_ThenAzureSignalRServiceCarriesPushes()
    {
        using IHost host = Build(
            ("Push:Kind", "AzureSignalR"),
            ("Push:AzureSignalR:ConnectionString", "Endpoint=https://listening-together.service.signalr.net;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg=;Version=1.0;"));

        Assert.Contains("Service", LifetimeManagerOf(host), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Redis", "Push:Redis:ConnectionString")]
    [InlineData("AzureSignalR", "Push:AzureSignalR:ConnectionString")]
    public void GivenAPushKindWithoutItsConnectionString_WhenServeIsBuilt_ThenTheErrorNamesTheMissingSetting(string kind, string key)
    {
        var e = Assert.Throws<SettingsException>(() => Build(("Push:Kind", kind)));

        Assert.StartsWith($"Invalid setting {key}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnUnknownPushKind_WhenServeIsBuilt_ThenTheErrorListsTheKinds()
    {
        var e = Assert.Throws<SettingsException>(() => Build(("Push:Kind", "Carrier-pigeon")));

        Assert.Contains("SelfHosted, AzureSignalR, Redis", e.Message, StringComparison.Ordinal);
    }
}
