using System.Net;
using System.Net.Sockets;
using System.Text;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Web;
using ListeningTogether.Streaming;
using ListeningTogether.Transports.InMemory;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// The <c>serve</c> composition root in-process on a free loopback port, without the built-in simulator and with
/// the MaxMind test City database: plays published to its InMemory transport reach viewers through the real hub.
/// </summary>
internal sealed class SiteHost : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly IHost _host;

    private SiteHost(IHost host, Uri address, Uri? managementAddress)
    {
        _host = host;
        Address = address;
        ManagementAddress = managementAddress;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>http://127.0.0.1:PORT/ of Urls, as Kestrel bound it.</summary>
    public Uri Address { get; }

    /// <summary>http://127.0.0.1:PORT/ of Management:Urls, when the settings gave one.</summary>
    public Uri? ManagementAddress { get; }

    /// <summary>The site's own origin, http://127.0.0.1:PORT.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public HttpClient Http { get; }

    public InMemoryTransport Transport => _host.Services.GetRequiredService<InMemoryTransport>();

    public PipelineCounters Counters => _host.Services.GetRequiredService<PipelineCounters>();

    /// <summary>What a viewer who connects now is sent at once.</summary>
    public RecentCoPlays Recent => _host.Services.GetRequiredService<RecentCoPlays>();

    /// <summary>Hub connections the site holds now.</summary>
    public int Viewers => _host.Services.GetRequiredService<ViewerConnections>().Count;

    /// <summary>Starts the site with these settings over the defaults (no simulator, test City database, port 0) and waits until the pipeline reads.</summary>
    public static async Task<SiteHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Simulator:Enabled"] = "false",
            ["Geo:CityDb"] = TestData.CityTestDb,
            ["Urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        IHost host = ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        await host.StartAsync();
        Uri[] addresses = [.. host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a.TrimEnd('/') + "/"))];
        Uri? management = all.TryGetValue("Management:Urls", out string? managementUrls) && managementUrls is not null
            ? addresses.Single(a => a.Port == new Uri(managementUrls).Port)
            : null;
        await host.Services.GetRequiredService<StreamingPipeline>().Started.Task.WaitAsync(Patience);
        return new SiteHost(host, addresses.Single(a => a != management), management);
    }

    /// <summary>A port no one listens on now, for a Management:Urls of a test (which needs a port of its own, not 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A .NET SignalR client of /hub/coplays (it sends no Origin header, as non-browser clients do not); with
    /// <paramref name="forwardedFor"/>, its requests carry X-Forwarded-For as a proxy in front of the site would add it.
    /// </summary>
    public HubConnection Viewer(string? forwardedFor = null) => new HubConnectionBuilder()
        .WithUrl(new Uri(Address, CoPlayHub.Path.TrimStart('/')), options =>
        {
            if (forwardedFor is not null)
            {
                options.Headers["X-Forwarded-For"] = forwardedFor;
            }
        })
        .Build();

    /// <summary>The hub's negotiate request as a browser of <paramref name="origin"/> would send it, to <paramref name="host"/> when given.</summary>
    public async Task<HttpResponseMessage> NegotiateAsync(string? origin, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CoPlayHub.Path + "/negotiate?negotiateVersion=1")
        {
            Content = new StringContent("", Encoding.UTF8, "text/plain"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await Http.SendAsync(request);
    }

    public async Task PublishAsync(params byte[][] payloads)
    {
        foreach (byte[] payload in payloads)
        {
            await Transport.PublishAsync(payload, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
