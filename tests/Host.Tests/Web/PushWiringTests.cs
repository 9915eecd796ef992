using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
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
    private const string AzureConnectionString = "Endpoint=https://listening-together.service.signalr.net;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg=;Version=1.0;";

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
        using IHost host = Build(("Push:Kind", "AzureSignalR"), ("Push:AzureSignalR:ConnectionString", AzureConnectionString));

        Assert.Contains("Service", LifetimeManagerOf(host), StringComparison.Ordinal);
    }

    /// <summary>
    /// DESIGN.md "Exactly once per viewer": every replica pushes the same co-plays, so the service (or this process)
    /// is asked to send each push to this replica's group, never to all clients. The lifetime manager behind the hub
    /// context stands in for Azure SignalR Service, which cannot run here.
    /// </summary>
    [Theory]
    [InlineData("AzureSignalR")]
    [InlineData("SelfHosted")]
    public async Task GivenAPushKind_WhenTheSitePushes_ThenThePushGoesToTheReplicasGroupOnly(string kind)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Push:Kind"] = kind,
            ["Push:AzureSignalR:ConnectionString"] = AzureConnectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSite(new SiteOptions { ReplicaName = "eu-site-1" }, PushSettings.Bind(configuration));
        var sent = new RecordingLifetimeManager();
        services.AddSingleton<HubLifetimeManager<CoPlayHub>>(sent);
        await using ServiceProvider provider = services.BuildServiceProvider();
        ViewerBroadcast broadcast = provider.GetRequiredService<ViewerBroadcast>();

        await broadcast.SendAsync(viewers => viewers.CoPlays([]), CancellationToken.None);
        await broadcast.SendAsync(viewers => viewers.Stats(new StatsView(0, 0, 0, 0, [])), CancellationToken.None);

        Assert.Equal(["group site-eu-site-1: CoPlays", "group site-eu-site-1: Stats"], sent.Sends);
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

    /// <summary>Records what the hub context asks of it: to whom, which client method.</summary>
    private sealed class RecordingLifetimeManager : HubLifetimeManager<CoPlayHub>
    {
        private readonly List<string> _sends = [];

        public IReadOnlyList<string> Sends
        {
            get
            {
                lock (_sends)
                {
                    return [.. _sends];
                }
            }
        }

        public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"all: {methodName}");

        public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
            Record($"all except: {methodName}");

        public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"connection {connectionId}: {methodName}");

        public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"connections: {methodName}");

        public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"group {groupName}: {methodName}");

        public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"groups {string.Join(',', groupNames)}: {methodName}");

        public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
            Record($"group {groupName} except: {methodName}");

        public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"user: {methodName}");

        public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            Record($"users: {methodName}");

        public override Task OnConnectedAsync(HubConnectionContext connection) => Task.CompletedTask;

        public override Task OnDisconnectedAsync(HubConnectionContext connection) => Task.CompletedTask;

        public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

        private Task Record(string send)
        {
            lock (_sends)
            {
                _sends.Add(send);
            }

            return Task.CompletedTask;
        }
    }
}
