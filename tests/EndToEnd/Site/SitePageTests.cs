using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>One <c>lt serve</c> (simulator at 2,000 plays/s) and one Chromium for the page tests.</summary>
public sealed class SitePageFixture : IAsyncLifetime
{
    public SiteServer Server { get; private set; } = null!;

    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = SiteServer.Start(SiteServer.FreePort());
        Chromium = await Chromium.LaunchAsync();
        await Server.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        Server?.Dispose();
    }
}

/// <summary>
/// The live page of the real <c>lt serve</c> in the real Chromium: it loads cleanly from its own origin only,
/// credits MaxMind, fits a phone and works from the keyboard. Screenshots go to artifacts/screenshots/.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed partial class SitePageTests(SitePageFixture site) : IClassFixture<SitePageFixture>
{
    private const float Patience = 15_000;

    private const string MaxMindCredit =
        "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [GeneratedRegex(@"^\d{1,3}(,\d{3})*(\.\d)?$")]
    private static partial Regex Number();

    private static string ScreenshotPath(string fileName)
    {
        string folder = Path.Combine(Lt.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    /// <summary>Opens the page and waits until it is live and has drawn co-plays on the map and in the ticker.</summary>
    private async Task<SitePage> OpenLivePageAsync(BrowserNewContextOptions? options = null)
    {
        SitePage page = await site.Chromium.NewPageAsync(options);
        await page.Page.GotoAsync(site.Server.Origin + "/");
        await Expect(page.Page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = Patience });
        await page.Page.Locator("#map .arc").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Patience });
        await page.Page.Locator("#ticker li.ticker-item").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Patience });
        await Expect(page.Page.Locator("#counter-plays")).ToHaveTextAsync(Number(), new() { Timeout = Patience });
        return page;
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 24, $"a PNG of {png.Length} bytes");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public async Task GivenTheLiveSite_WhenThePageLoadsAndShowsCoPlays_ThenThereAreNoConsoleErrorsAndNoRequestToAnotherOrigin()
    {
        await using SitePage page = await OpenLivePageAsync();
        // A few more seconds of live pushes, stats and arcs.
        await page.Page.WaitForTimeoutAsync(3000);

        Assert.Empty(page.Errors);
        string webSocketOrigin = site.Server.Origin.Replace("http://", "ws://", StringComparison.Ordinal);
        Assert.All(page.Requests, url => Assert.True(
            url.StartsWith(site.Server.Origin + "/", StringComparison.Ordinal) || url.StartsWith(webSocketOrigin + "/", StringComparison.Ordinal),
            $"request to another origin: {url}"));
        Assert.Contains(site.Server.Origin + "/app.js", page.Requests);
        Assert.Contains(site.Server.Origin + "/countries-110m.json", page.Requests);
        Assert.Contains(page.Requests, url => url.StartsWith(webSocketOrigin + "/hub/coplays?id=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenTheLiveSite_WhenThePageLoads_ThenItsDocumentCarriesTheContentSecurityPolicy()
    {
        await using SitePage page = await site.Chromium.NewPageAsync();

        IResponse? response = await page.Page.GotoAsync(site.Server.Origin + "/");

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        Assert.Equal(ContentSecurityPolicy, await response.HeaderValueAsync("content-security-policy"));
    }

    [Fact]
    public async Task GivenTheLiveSite_WhenThePageLoads_ThenTheAttributionCreditsMaxMind()
    {
        await using SitePage page = await site.Chromium.NewPageAsync();

        await page.Page.GotoAsync(site.Server.Origin + "/");

        Assert.Contains(MaxMindCredit, await page.Page.Locator("#attribution").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTheLivePageWithCoPlays_WhenAFullPageScreenshotIsTaken_ThenSitePngIsSavedAsANonEmptyPng()
    {
        await using SitePage page = await OpenLivePageAsync();
        string path = ScreenshotPath("site.png");
        File.Delete(path);

        await page.Page.ScreenshotAsync(new() { Path = path, FullPage = true });

        (int width, int height) = PngSize(await File.ReadAllBytesAsync(path));
        Assert.Equal(1280, width);
        Assert.True(height >= 800, $"height {height}");
    }

    [Fact]
    public async Task GivenAPhoneSizedScreen_WhenTheLivePageShowsCoPlays_ThenThereIsNoHorizontalScrollbarAndSitePhonePngIsSaved()
    {
        await using SitePage page = await OpenLivePageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        string path = ScreenshotPath("site-phone.png");
        File.Delete(path);

        int[] widths = await page.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await page.Page.ScreenshotAsync(new() { Path = path, FullPage = true, Scale = ScreenshotScale.Css });

        Assert.True(widths[0] <= widths[1], $"scrollWidth {widths[0]} > clientWidth {widths[1]}: a horizontal scrollbar");
        Assert.Equal(390, widths[1]);
        Assert.Equal(390, PngSize(await File.ReadAllBytesAsync(path)).Width);
    }

    [Fact]
    public async Task GivenTheLivePage_WhenTabbingThroughIt_ThenPauseAndTheCountryFilterAreReachedAndSpaceTogglesPause()
    {
        await using SitePage page = await OpenLivePageAsync();
        IPage p = page.Page;
        var reached = new List<string>();

        while (!reached.Contains("pause") && reached.Count < 40)
        {
            await p.Keyboard.PressAsync("Tab");
            reached.Add(await p.EvaluateAsync<string>("() => document.activeElement?.id ?? ''"));
        }

        Assert.Equal("pause", reached[^1]);
        await Expect(p.Locator("#pause")).ToHaveAttributeAsync("aria-pressed", "false");
        await p.Keyboard.PressAsync("Space");
        await Expect(p.Locator("#pause")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(p.Locator("#paused-note")).ToBeVisibleAsync();
        await p.Keyboard.PressAsync("Space");
        await Expect(p.Locator("#pause")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(p.Locator("#paused-note")).ToBeHiddenAsync();

        await p.Keyboard.PressAsync("Tab");
        Assert.Equal("country-filter", await p.EvaluateAsync<string>("() => document.activeElement?.id ?? ''"));
    }
}
