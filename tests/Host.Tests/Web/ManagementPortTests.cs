using System.Net;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Management:Urls: /metrics, /healthz and /readyz answer there and not on Urls, the site (page, hub) only on Urls,
/// and host filtering (AllowedHosts) applies to Urls only, so probes and scrapes reach the pod by its address.
/// </summary>
public sealed class ManagementPortTests
{
    private static Task<SiteHost> StartSiteAsync(string? allowedHosts = null)
    {
        var settings = new Dictionary<string, string?> { ["Management:Urls"] = $"http://127.0.0.1:{SiteHost.FreePort()}" };
        if (allowedHosts is not null)
        {
            settings["AllowedHosts"] = allowedHosts;
        }

        return SiteHost.StartAsync(settings);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task GivenAManagementPort_WhenAnOperationsPathIsAsked_ThenItAnswersThereAnd404OnTheSitePort(string path)
    {
        await using SiteHost site = await StartSiteAsync();
        using var management = new HttpClient { BaseAddress = site.ManagementAddress };

        using HttpResponseMessage there = await management.GetAsync(path);
        using HttpResponseMessage onSite = await site.Http.GetAsync(path);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (there.StatusCode, onSite.StatusCode));
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/index.html")]
    [InlineData("GET", "/app.js")]
    [InlineData("POST", "/hub/coplays/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/hub/coplays?id=anything")]
    public async Task GivenAManagementPort_WhenTheSiteIsAskedThere_ThenItAnswers404(string method, string path)
    {
        await using SiteHost site = await StartSiteAsync();
        using var management = new HttpClient { BaseAddress = site.ManagementAddress };

        using HttpResponseMessage there = await management.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, there.StatusCode);
    }

    [Fact]
    public async Task GivenAManagementPort_WhenAViewerNegotiatesOnTheSitePort_ThenItGets200()
    {
        await using SiteHost site = await StartSiteAsync();

        using HttpResponseMessage response = await site.NegotiateAsync(origin: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenAllowedHostsAndAManagementPort_WhenAProbeNamesThePodByAddress_ThenTheManagementPortAnswersAndTheSitePortRefuses()
    {
        await using SiteHost site = await StartSiteAsync(allowedHosts: "site.example");
        using var management = new HttpClient { BaseAddress = site.ManagementAddress };

        using HttpResponseMessage probe = await management.GetAsync("/readyz");
        using HttpResponseMessage onSite = await site.NegotiateAsync(origin: null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest), (probe.StatusCode, onSite.StatusCode));
    }
}
