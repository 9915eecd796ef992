using System.Text;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Web;
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

    private SiteHost(IHost host, Uri address)
    {
        _host = host;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>http://127.0.0.1:PORT/, as Kestrel bound it.</summary>
    public Uri Address { get; }

    /// <summary>The site's own origin, http://127.0.0.1:PORT.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public HttpClient Http { get; }

    public InMemoryTransport Transport => _host.Services.GetRequiredService<InMemoryTransport>();

    public PipelineCounters Counters => _host.Services.GetRequiredService<PipelineCounters>();

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
        string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await host.Services.GetRequiredService<StreamingPipeline>().Started.Task.WaitAsync(Patience);
        return new SiteHost(host, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A .NET SignalR client of /hub/coplays (it sends no Origin header, as non-browser clients do not).</summary>
    public HubConnection Viewer() => new HubConnectionBuilder().WithUrl(new Uri(Address, CoPlayHub.Path.TrimStart('/'))).Build();

    /// <summary>The hub's negotiate request as a browser of <paramref name="origin"/> would send it.</summary>
    public async Task<HttpResponseMessage> NegotiateAsync(string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CoPlayHub.Path + "/negotiate?negotiateVersion=1")
        {
            Content = new StringContent("", Encoding.UTF8, "text/plain"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
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
