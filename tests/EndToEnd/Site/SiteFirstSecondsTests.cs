using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>Chromium first, then a fresh <c>lt serve</c>, so the test can time the page from the server's start.</summary>
public sealed class FreshSiteFixture : IAsyncLifetime
{
    public Chromium Chromium { get; private set; } = null!;

    public SiteServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chromium = await Chromium.LaunchAsync();
        Server = SiteServer.Start(SiteServer.FreePort());
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

/// <summary>The first seconds of the real <c>lt serve</c>: a viewer sees arcs, ticker entries and counters soon after it starts.</summary>
[Collection(SiteCollection.Name)]
public sealed partial class SiteFirstSecondsTests(FreshSiteFixture site, ITestOutputHelper output) : IClassFixture<FreshSiteFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [GeneratedRegex(@"^\d{1,3}(,\d{3})*(\.\d)?$")]
    private static partial Regex Number();

    [Fact]
    public async Task GivenAServerJustStarted_WhenAViewerOpensThePage_ThenArcsAndTickerEntriesAppearWithinTenSecondsOfTheStartAndTheCountersShowNumbers()
    {
        await site.Server.WaitUntilReadyAsync();
        await using SitePage page = await site.Chromium.NewPageAsync();
        await page.Page.GotoAsync(site.Server.Origin + "/");

        // Waited for longer than promised, so a slow start fails with its real duration.
        await page.Page.Locator("#map .arc").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        TimeSpan firstArc = site.Server.SinceStart;
        await page.Page.Locator("#ticker li.ticker-item").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        TimeSpan firstTickerEntry = site.Server.SinceStart;
        output.WriteLine($"first arc {firstArc.TotalSeconds:F1} s, first ticker entry {firstTickerEntry.TotalSeconds:F1} s after the server's start");

        Assert.True(firstArc <= Within, $"the first arc appeared {firstArc.TotalSeconds:F1} s after the server's start");
        Assert.True(firstTickerEntry <= Within, $"the first ticker entry appeared {firstTickerEntry.TotalSeconds:F1} s after the server's start");
        await Expect(page.Page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        foreach (string counter in new[] { "#counter-plays", "#counter-eligible", "#counter-coplays" })
        {
            await Expect(page.Page.Locator(counter)).ToHaveTextAsync(Number(), new() { Timeout = 5000 });
        }

        await Expect(page.Page.Locator("#counter-viewers")).ToHaveTextAsync("1", new() { Timeout = 5000 });
        Assert.Empty(page.Errors);
    }
}
