using System.Net;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>/healthz, /readyz and the security headers of <c>serve</c>, in-process.</summary>
public sealed class SiteOperationsTests
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    [Fact]
    public async Task GivenTheSite_WhenHealthzIsAsked_ThenItAnswers200Healthy()
    {
        await using SiteHost site = await SiteHost.StartAsync();

        using HttpResponseMessage response = await site.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GivenTheSiteStartedAndItsPipelineReading_WhenReadyzIsAsked_ThenItAnswers200Healthy()
    {
        await using SiteHost site = await SiteHost.StartAsync();

        using HttpResponseMessage response = await site.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/index.html")]
    [InlineData("GET", "/healthz")]
    [InlineData("GET", "/metrics")]
    [InlineData("POST", "/hub/coplays/negotiate?negotiateVersion=1")]
    public async Task GivenTheSite_WhenAnyPathIsAsked_ThenTheResponseCarriesTheContentSecurityPolicyAndHardeningHeaders(string method, string path)
    {
        await using SiteHost site = await SiteHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using HttpResponseMessage response = await site.Http.SendAsync(request);

        Assert.Equal([ContentSecurityPolicy], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task GivenAnotherOrigin_WhenItIsRefused_ThenThe403CarriesTheContentSecurityPolicy()
    {
        await using SiteHost site = await SiteHost.StartAsync();

        using HttpResponseMessage response = await site.NegotiateAsync("https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal([ContentSecurityPolicy], response.Headers.GetValues("Content-Security-Policy"));
    }
}
