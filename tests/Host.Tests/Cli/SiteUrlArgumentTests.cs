using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Tests.Cli;

/// <summary><c>replay/merge --site-url</c>: none gives a report without links; a URL that is no site is refused before any work, naming the option.</summary>
public sealed class SiteUrlArgumentTests
{
    [Fact]
    public void GivenNoOption_WhenParsed_ThenThereIsNoSite() =>
        Assert.Null(SiteUrlArgument.Parse(null));

    [Fact]
    public void GivenTheLocalSite_WhenParsed_ThenTheLinksStartWithItsPage() =>
        Assert.Equal("http://localhost:8080/", SiteUrlArgument.Parse("http://localhost:8080")!.Page);

    [Theory]
    [InlineData("localhost:8080", "not an absolute http or https URL (say http://localhost:8080)")]
    [InlineData("ftp://example.org", "not an absolute http or https URL (say http://localhost:8080)")]
    [InlineData("", "not an absolute http or https URL (say http://localhost:8080)")]
    [InlineData("https://user:pw@example.org", "it holds a user name or password, which every reader of report.html would see")]
    [InlineData("http://localhost:8080/#live", "it has a fragment (#...); the links add their own, #at=TIME&speed=1")]
    public void GivenAUrlThatIsNoSite_WhenParsed_ThenTheErrorNamesTheOptionTheTextAndWhy(string text, string why)
    {
        var e = Assert.Throws<SettingsException>(() => SiteUrlArgument.Parse(text));

        Assert.Equal($"--site-url '{text}': {why}", e.Message);
    }
}
