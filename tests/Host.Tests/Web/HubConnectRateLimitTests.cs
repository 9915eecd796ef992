using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Site:MaxConnectsPerMinutePerAddress (60 by default; 3 here): connects beyond it in a minute from one client
/// address are refused with 429, whether they negotiate or open a WebSocket at once; a negotiated connection's own
/// requests are not counted again.
/// </summary>
public sealed class HubConnectRateLimitTests
{
    private static Task<SiteHost> StartSiteAsync(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Site:MaxConnectsPerMinutePerAddress"] = "3" };
        foreach ((string key, string value) in more)
        {
            settings[key] = value;
        }

        return SiteHost.StartAsync(settings);
    }

    [Fact]
    public async Task GivenThreeConnectsAMinute_WhenAFourthViewerConnectsFromTheSameAddress_ThenItsNegotiateIsRefusedWith429AndTheOthersStay()
    {
        await using SiteHost site = await StartSiteAsync();
        await using HubConnection first = site.Viewer();
        await using HubConnection second = site.Viewer();
        await using HubConnection third = site.Viewer();
        await using HubConnection fourth = site.Viewer();
        await first.StartAsync();
        await second.StartAsync();
        await third.StartAsync();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => fourth.StartAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.All([first, second, third], v => Assert.Equal(HubConnectionState.Connected, v.State));
    }

    [Fact]
    public async Task GivenAViewerThatLeftAgain_WhenTheAddressHasUsedItsConnects_ThenTheNextIsStillRefused()
    {
        await using SiteHost site = await StartSiteAsync();
        for (int i = 0; i < 3; i++)
        {
            await using HubConnection viewer = site.Viewer();
            await viewer.StartAsync();
            await viewer.StopAsync();
        }

        using HttpResponseMessage response = await site.NegotiateAsync(origin: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task GivenAKnownProxy_WhenOneForwardedAddressHasUsedItsConnects_ThenAnotherForwardedAddressStillConnects()
    {
        await using SiteHost site = await StartSiteAsync(("Site:KnownProxies:0", "127.0.0.1"));
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage accepted = await NegotiateFromAsync(site, "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using HttpResponseMessage refused = await NegotiateFromAsync(site, "203.0.113.7");
        using HttpResponseMessage other = await NegotiateFromAsync(site, "203.0.113.8");

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (refused.StatusCode, other.StatusCode));
    }

    [Fact]
    public async Task GivenThreeConnectsAMinute_WhenAFourthOpensAWebSocketWithoutNegotiating_ThenItIsRefusedToo()
    {
        await using SiteHost site = await StartSiteAsync();
        var viewers = new List<HubConnection>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                viewers.Add(new HubConnectionBuilder()
                    .WithUrl(new Uri(site.Address, "hub/coplays"), o =>
                    {
                        o.SkipNegotiation = true;
                        o.Transports = HttpTransportType.WebSockets;
                    })
                    .Build());
            }

            foreach (HubConnection viewer in viewers[..3])
            {
                await viewer.StartAsync();
            }

            await Assert.ThrowsAnyAsync<Exception>(() => viewers[3].StartAsync());
            await SiteHost.EventuallyAsync(() => site.Viewers == 3, "the three accepted viewers");
        }
        finally
        {
            foreach (HubConnection viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    private static async Task<HttpResponseMessage> NegotiateFromAsync(SiteHost site, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hub/coplays/negotiate?negotiateVersion=1") { Content = new StringContent("") };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await site.Http.SendAsync(request);
    }
}
