using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>The site a report links to: an absolute http or https URL, whose minute links are the page's <c>#at=TIME&amp;speed=1</c>.</summary>
public sealed class PlaybackSiteTests
{
    private static readonly long FiveAfterTwo = new DateTimeOffset(2026, 11, 26, 14, 5, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("http://localhost:8080", "http://localhost:8080/")]
    [InlineData("http://localhost:8080/", "http://localhost:8080/")]
    [InlineData("https://coplays.example.org", "https://coplays.example.org/")]
    [InlineData("HTTPS://Coplays.Example.ORG:443/", "https://coplays.example.org/")]
    [InlineData("https://example.org/listening", "https://example.org/listening/")]
    [InlineData("https://example.org/listening/?lang=en", "https://example.org/listening/?lang=en")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/")]
    public void GivenASiteUrl_WhenCreated_ThenItsPageEndsInASlashBeforeAnyQuery(string url, string page)
    {
        Assert.True(PlaybackSite.TryCreate(url, out PlaybackSite? site, out string? problem), problem);

        Assert.Equal(page, site.Page);
    }

    [Fact]
    public void GivenASite_WhenLinkingAMinute_ThenTheLinkOpensThePageAtThatMinuteAtOneTimesSpeed()
    {
        Assert.True(PlaybackSite.TryCreate("http://localhost:8080", out PlaybackSite? site, out _));

        Assert.Equal("http://localhost:8080/#at=2026-11-26T14:05:00Z&speed=1", site.LinkTo(FiveAfterTwo));
    }

    [Theory]
    [InlineData("localhost:8080")]
    [InlineData("example.org")]
    [InlineData("/srv/site")]
    [InlineData("ftp://example.org/")]
    [InlineData("file:///tmp/index.html")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    [InlineData("http://")]
    public void GivenTextThatIsNoHttpUrl_WhenCreated_ThenItIsRefusedWithTheFormToUse(string url)
    {
        Assert.False(PlaybackSite.TryCreate(url, out PlaybackSite? site, out string? problem));

        Assert.Null(site);
        Assert.Equal("not an absolute http or https URL (say http://localhost:8080)", problem);
    }

    [Fact]
    public void GivenAUrlWithAUserAndPassword_WhenCreated_ThenItIsRefusedSoTheReportNeverShowsThem()
    {
        Assert.False(PlaybackSite.TryCreate("https://viewer:secret@example.org/", out _, out string? problem));

        Assert.Equal("it holds a user name or password, which every reader of report.html would see", problem);
    }

    [Fact]
    public void GivenAUrlWithAFragment_WhenCreated_ThenItIsRefusedAsTheLinksSetTheirOwn()
    {
        Assert.False(PlaybackSite.TryCreate("http://localhost:8080/#at=2026-11-26T14:05:00Z", out _, out string? problem));

        Assert.Equal("it has a fragment (#...); the links add their own, #at=TIME&speed=1", problem);
    }
}
