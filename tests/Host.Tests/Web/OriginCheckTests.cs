using System.Net;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Pages of other origins cannot open the hub: a browser's Origin must be the site itself or one of
/// Site:AllowedOrigins, checked on the negotiate request that starts every connection.
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
}
