using System.Net;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Pages of other origins cannot open the hub: a browser's Origin must be the site itself or one of
/// Site:AllowedOrigins, checked on the negotiate request that starts every connection. The site itself is its
/// own scheme and Host only for a host AllowedHosts lists, or, with any host allowed, for loopback names: a
/// DNS-rebinding page sends its own name as both Origin and Host.
/// </summary>
public sealed class OriginCheckTests
{
    private const string Allowed = "https://allowed.example";

    private static Task<SiteHost> StartSiteAsync() =>
        SiteHost.StartAsync(new Dictionary<string, string?> { ["Site:AllowedOrigins:0"] = Allowed });

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://allowed.example")]
    [InlineData("https://allowed.example.evil.example")]
    [InlineData("null")]
    public async Task GivenAPageOfAnotherOrigin_WhenItNegotiatesWithTheHub_ThenItGets403(string origin)
    {
        await using SiteHost site = await StartSiteAsync();

        using HttpResponseMessage response = await site.NegotiateAsync(origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Origin not allowed.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GivenAnotherOrigin_WhenItGetsTheHubUrlWithoutNegotiating_ThenItGets403Too()
    {
        await using SiteHost site = await StartSiteAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/coplays?id=anything");
        request.Headers.Add("Origin", "https://evil.example");

        using HttpResponseMessage response = await site.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GivenThePageOfTheSiteItself_WhenItNegotiatesWithTheHub_ThenItGets200()
    {
        await using SiteHost site = await StartSiteAsync();

        using HttpResponseMessage response = await site.NegotiateAsync(site.Origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(Allowed)]
    [InlineData("HTTPS://ALLOWED.EXAMPLE")]
    public async Task GivenAPageOfAnAllowedOrigin_WhenItNegotiatesWithTheHub_ThenItGets200(string origin)
    {
        await using SiteHost site = await StartSiteAsync();

        using HttpResponseMessage response = await site.NegotiateAsync(origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenAClientWithoutOrigin_WhenItNegotiatesWithTheHub_ThenItGets200()
    {
        await using SiteHost site = await StartSiteAsync();

        using HttpResponseMessage response = await site.NegotiateAsync(origin: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenAnyHostAllowed_WhenAPageOfARebindingNameNegotiatesWithItsOwnHost_ThenItGets403()
    {
        await using SiteHost site = await SiteHost.StartAsync();

        using HttpResponseMessage response = await site.NegotiateAsync("http://evil.example", host: "evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Origin not allowed.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task GivenAnyHostAllowed_WhenThePageOfTheSiteOnALoopbackNameNegotiates_ThenItGets200(string name)
    {
        await using SiteHost site = await SiteHost.StartAsync();
        string host = $"{name}:{site.Address.Port}";

        using HttpResponseMessage response = await site.NegotiateAsync($"http://{host}", host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("site.example", "site.example")]
    [InlineData("*.site.example", "live.site.example")]
    [InlineData("other.example;site.example", "site.example")]
    public async Task GivenTheSitesHostInAllowedHosts_WhenThePageOfTheSiteNegotiates_ThenItGets200(string allowedHosts, string host)
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts });

        using HttpResponseMessage response = await site.NegotiateAsync($"http://{host}", host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenAllowedHosts_WhenARequestNamesAnotherHost_ThenHostFilteringRefusesItWith400()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?> { ["AllowedHosts"] = "site.example" });

        using HttpResponseMessage response = await site.NegotiateAsync("http://evil.example", host: "evil.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GivenAnotherOriginInSiteAllowedOrigins_WhenItsPageNegotiatesThroughTheListedHost_ThenItGets200()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "site.example",
            ["Site:AllowedOrigins:0"] = Allowed,
        });

        using HttpResponseMessage response = await site.NegotiateAsync(Allowed, host: "site.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
