using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// The site behind a load balancer: X-Forwarded-For counts only from Site:KnownProxies / Site:KnownNetworks, so
/// the per-address connection limit (20 by default) applies to the real clients, not to the proxy. The tests'
/// requests come from 127.0.0.1, which plays the proxy.
/// </summary>
public sealed class KnownProxyTests
{
    private const int Connections = 25;

    [Theory]
    [InlineData("Site:KnownProxies:0", "127.0.0.1")]
    [InlineData("Site:KnownNetworks:0", "127.0.0.0/8")]
    public async Task GivenAKnownProxy_When25ViewersConnectFromOneForwardedAddress_Then20AreAcceptedAnd5Refused(string key, string proxy)
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { [key] = proxy });

        int accepted = await ConnectAllAsync(site, _ => "203.0.113.7");

        Assert.Equal((20, 5), (accepted, Connections - accepted));
    }

    [Fact]
    public async Task GivenAKnownProxy_When25ViewersConnectFrom25ForwardedAddresses_ThenAllAreAccepted()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:KnownProxies:0"] = "127.0.0.1" });

        int accepted = await ConnectAllAsync(site, i => $"203.0.113.{i + 1}");

        Assert.Equal(Connections, accepted);
    }

    [Fact]
    public async Task GivenAKnownProxyThatIsNotTheSender_When25ViewersConnectWithForwardedAddresses_ThenTheHeaderIsIgnoredAnd20AreAccepted()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:KnownProxies:0"] = "10.1.2.3" });

        int accepted = await ConnectAllAsync(site, i => $"203.0.113.{i + 1}");

        Assert.Equal((20, 5), (accepted, Connections - accepted));
    }

    [Fact]
    public async Task GivenNoKnownProxies_When25ViewersConnectWithForwardedAddresses_ThenTheHeaderIsIgnoredEvenFromLoopback()
    {
        await using SiteHost site = await SiteHost.StartAsync();

        int accepted = await ConnectAllAsync(site, i => $"203.0.113.{i + 1}");

        Assert.Equal((20, 5), (accepted, Connections - accepted));
    }

    [Fact]
    public async Task GivenAKnownProxy_WhenAClientPutsAnAddressOfItsOwnBeforeTheOneTheProxyAdded_ThenTheProxysCounts()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:KnownProxies:0"] = "127.0.0.1" });

        // The client claims a new address each time; the proxy appends the one it saw, the same each time.
        int accepted = await ConnectAllAsync(site, i => $"198.51.100.{i + 1}, 203.0.113.7");

        Assert.Equal(20, accepted);
    }

    /// <summary>Connects <see cref="Connections"/> viewers one after another; how many the hub kept (a kept viewer gets Recent, a refused one is closed).</summary>
    private static async Task<int> ConnectAllAsync(SiteHost site, Func<int, string> forwardedFor)
    {
        var viewers = new List<HubConnection>();
        try
        {
            var outcomes = new List<Task<bool>>();
            for (int i = 0; i < Connections; i++)
            {
                HubConnection viewer = site.Viewer(forwardedFor(i));
                viewers.Add(viewer);
                var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                viewer.On<object>("Recent", _ => outcome.TrySetResult(true));
                viewer.Closed += _ =>
                {
                    outcome.TrySetResult(false);
                    return Task.CompletedTask;
                };
                await viewer.StartAsync();
                outcomes.Add(outcome.Task);
            }

            bool[] kept = await Task.WhenAll(outcomes).WaitAsync(SiteHost.Patience);
            return kept.Count(k => k);
        }
        finally
        {
            foreach (HubConnection viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }
}
