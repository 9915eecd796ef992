using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>The site's proxy and management settings are checked at start, with a message naming the key (exit code 2).</summary>
public sealed class SiteSettingsTests
{
    private static string BuildError(string key, string value) =>
        Assert.Throws<SettingsException>(() => ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Enabled"] = "false",
            ["Geo:CityDb"] = TestData.CityTestDb,
            ["Urls"] = "http://127.0.0.1:8080",
            [key] = value,
        }).Build())).Message;

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("10.1")]
    [InlineData("10.0.0.0/8")]
    public void GivenAKnownProxyThatIsNotAnAddress_WhenServeIsBuilt_ThenTheErrorNamesSiteKnownProxies(string value)
    {
        Assert.Equal(
            $"Invalid setting Site:KnownProxies: '{value}' is not an IP address (e.g. 10.0.0.7 or fd00::7).",
            BuildError("Site:KnownProxies:0", value));
    }

    [Theory]
    [InlineData("10.0.0.7")]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("ten/8")]
    public void GivenAKnownNetworkThatIsNotACidrNetwork_WhenServeIsBuilt_ThenTheErrorNamesSiteKnownNetworks(string value)
    {
        Assert.Equal(
            $"Invalid setting Site:KnownNetworks: '{value}' is not a network in CIDR notation with no host bits set (e.g. 10.0.0.0/8 or fd00::/8).",
            BuildError("Site:KnownNetworks:0", value));
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "needs a port from 1 to 65535")]
    [InlineData("http://+:8080", "uses port 8080 of Urls; the management port must be a port of its own")]
    public void GivenAManagementUrlWithoutAPortOfItsOwn_WhenServeIsBuilt_ThenTheErrorNamesManagementUrls(string value, string problem)
    {
        Assert.Equal($"Invalid setting Management:Urls: '{value}' {problem}.", BuildError("Management:Urls", value));
    }

    [Theory]
    [InlineData("not-a-url", "not a URL")]
    [InlineData("ftp://127.0.0.1:9090", "the scheme 'ftp' cannot be served; use http or https")]
    [InlineData("http://127.0.0.1:99999", "the port 99999 is outside 0 to 65535")]
    public void GivenAManagementUrlThatIsNoListenUrl_WhenServeIsBuilt_ThenTheErrorNamesManagementUrlsAsUrlsWouldBe(string value, string problem)
    {
        string error = BuildError("Management:Urls", value);

        Assert.StartsWith($"Management:Urls '{value}': ", error);
        Assert.Contains(problem, error);
    }
}
