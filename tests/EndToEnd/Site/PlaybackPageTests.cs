using System.Globalization;
using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>
/// <c>lt serve --playback</c> over two replay outputs: the co-play examples (one minute, 2026-11-26 09:00) and 15
/// simulated minutes from 10:00 (busy enough to keep 20 co-plays a second on the map at 60x), plus the live
/// simulator at 2,000 plays/s; and one Chromium.
/// </summary>
public sealed class PlaybackSiteFixture : IAsyncLifetime, IDisposable
{
    public static readonly DateTimeOffset SimulatedStart = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public SiteServer Server { get; private set; } = null!;

    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lt.RequireRealCityDb();
        string examples = _temp.Combine("examples");
        await RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", examples]);
        string plays = _temp.Combine("simulated", "plays.jsonl");
        string simulated = _temp.Combine("simulated", "out");
        await RunAsync(
        [
            "simulate", "--plays", "300000", "--seed", "7", "--start", SimulatedStart.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--minutes", "15", "--output", plays,
        ]);
        await RunAsync(["replay", "--input", plays, "--output", simulated]);

        Server = SiteServer.Start(SiteServer.FreePort(), ["--playback", examples, simulated]);
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

    public void Dispose() => _temp.Dispose();

    private static async Task RunAsync(string[] args)
    {
        LtResult result = await Lt.RunAsync(args, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}

/// <summary>
/// The page's playback in the real Chromium: a link opens a moment and the ticker shows exactly what the viewer rule
/// selects from expected.jsonl; 10x moves the shown second; LIVE brings the live stream back; 60x keeps frames short.
/// Screenshots go to artifacts/screenshots/, the 60x frame times to artifacts/playback-frames.txt.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class PlaybackPageTests(PlaybackSiteFixture site, ITestOutputHelper output) : IClassFixture<PlaybackSiteFixture>
{
    private const float Patience = 15_000;

    /// <summary>DESIGN.md's Pipeline:MaxPerSecond; the windows are one second long.</summary>
    private const int MaxPerSecond = 20;

    private const string TickerRows =
        "() => [...document.querySelectorAll('#ticker li.ticker-item')].map(li => [li.dataset.window, li.dataset.track])";

    private static readonly IReadOnlyList<ExpectedCoPlay> Expected = ReadExpected();

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static IReadOnlyList<ExpectedCoPlay> ReadExpected() =>
    [
        .. File.ReadLines(Lt.Examples("expected.jsonl")).Where(line => line.Length > 0).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            JsonElement c = json.RootElement;
            return new ExpectedCoPlay(
                ParseTime(c.GetProperty("windowStart").GetString()!),
                c.GetProperty("trackId").GetString()!,
                c.GetProperty("plays").GetInt64(),
                c.GetProperty("distanceKm").GetDouble());
        }),
    ];

    /// <summary>The viewer rule per window: greatest distance, then most plays, then the smaller track id; at most MaxPerSecond.</summary>
    private static Dictionary<DateTimeOffset, string[]> ShownPerWindow() =>
        Expected.GroupBy(c => c.WindowStart).ToDictionary(
            w => w.Key,
            w => w.OrderByDescending(c => c.DistanceKm).ThenByDescending(c => c.Plays).ThenBy(c => c.TrackId, StringComparer.Ordinal)
                .Take(MaxPerSecond).Select(c => c.TrackId).Order(StringComparer.Ordinal).ToArray());

    private static string ArtifactPath(params string[] parts)
    {
        string path = Path.Combine([Lt.Root, "artifacts", .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Opens <c>/#at=MOMENT&amp;speed=N</c> and waits until the page shows that second, its co-plays in hand.</summary>
    private async Task<SitePage> OpenAtAsync(DateTimeOffset moment, int speed, BrowserNewContextOptions? options = null)
    {
        SitePage page = await site.Chromium.NewPageAsync(options);
        await page.Page.GotoAsync($"{site.Server.Origin}/#at={Iso(moment)}&speed={speed}");
        ILocator banner = page.Page.Locator("#playback-banner");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(banner).ToHaveAttributeAsync("data-at", Iso(moment), new() { Timeout = Patience });
        await Expect(banner).Not.ToContainTextAsync("loading", new() { Timeout = Patience });
        return page;
    }

    private static async Task<DateTimeOffset> ShownSecondAsync(IPage page) =>
        ParseTime((await page.Locator("#playback-banner").GetAttributeAsync("data-at"))!);

    [Fact]
    public async Task GivenTheExamplesReplayOutput_WhenALinkOpensAMoment_ThenTheTickerShowsExactlyTheViewerSelectionOfTheWindowsUpToIt()
    {
        Dictionary<DateTimeOffset, string[]> shown = ShownPerWindow();
        DateTimeOffset moment = shown.OrderByDescending(w => w.Value.Length).ThenBy(w => w.Key).First().Key;
        await using SitePage page = await OpenAtAsync(moment, speed: 1);
        await Expect(page.Page.Locator("#playback-banner")).ToContainTextAsync($"Playback · {moment.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · 1x · paused");

        // The timeline's zoomed strip (the moment's hour) has a bar for the moment's minute, taller than a flat 0;
        // checked in one look in the page, as the strip is rebuilt while the rest of its hour's counts arrive.
        string minute = Iso(new DateTimeOffset(moment.UtcTicks - (moment.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero));
        await page.Page.WaitForFunctionAsync(
            """
            minute => {
              const bar = document.querySelector(`.timeline-zoom rect.count[data-minute="${minute}"]`);
              return bar !== null && Number(bar.dataset.count) > 0 && bar.getBoundingClientRect().height > 10;
            }
            """,
            minute,
            new() { Timeout = Patience });

        string[][] rows = await page.Page.EvaluateAsync<string[][]>(TickerRows);

        // Newest first: the windows from the moment back, the oldest perhaps cut by the ticker's length.
        var windows = rows.GroupBy(r => ParseTime(r[0])).OrderByDescending(w => w.Key).ToList();
        Assert.Equal(moment, windows[0].Key);
        Assert.True(windows.Count >= 3, $"{windows.Count} windows in the ticker");
        DateTimeOffset oldest = windows[^1].Key;
        Assert.Equal(
            shown.Keys.Where(w => w >= oldest && w <= moment).OrderDescending(),
            windows.Select(w => w.Key));
        foreach (var window in windows.SkipLast(1))
        {
            Assert.Equal(shown[window.Key], window.Select(r => r[1]).Order(StringComparer.Ordinal));
        }

        Assert.Subset(shown[oldest].ToHashSet(), windows[^1].Select(r => r[1]).ToHashSet());
        Assert.Equal(rows.Length, rows.Select(r => (r[0], r[1])).Distinct().Count());
        Assert.DoesNotContain(page.Errors, e => e.StartsWith("uncaught", StringComparison.Ordinal));
        string webSocketOrigin = site.Server.Origin.Replace("http://", "ws://", StringComparison.Ordinal);
        Assert.All(page.Requests, url => Assert.True(
            url.StartsWith(site.Server.Origin + "/", StringComparison.Ordinal) || url.StartsWith(webSocketOrigin + "/", StringComparison.Ordinal),
            $"request to another origin: {url}"));
    }

    [Fact]
    public async Task GivenAMomentOpenedAt10x_WhenPlayed_ThenTheShownSecondAdvancesByMoreThanFiveSecondsInASecond()
    {
        DateTimeOffset moment = Expected.Min(c => c.WindowStart).AddSeconds(10);
        await using SitePage page = await OpenAtAsync(moment, speed: 10);
        await Expect(page.Page.Locator("#playback-banner")).ToContainTextAsync("· 10x · paused");

        await page.Page.Locator("#play").ClickAsync();
        await page.Page.WaitForTimeoutAsync(1000);

        DateTimeOffset shown = await ShownSecondAsync(page.Page);
        output.WriteLine($"10x: {Iso(moment)} -> {Iso(shown)} after about 1 s");
        Assert.True(shown - moment > TimeSpan.FromSeconds(5), $"shown {Iso(shown)}, opened at {Iso(moment)}");
        string newest = (await page.Page.EvaluateAsync<string[][]>(TickerRows))[0][0];
        Assert.True(ParseTime(newest) > moment, $"the ticker's newest window {newest}");
    }

    [Fact]
    public async Task GivenPlayback_WhenLiveIsPressed_ThenTheBannerGoesAndLiveCoPlaysShowAgain()
    {
        await using SitePage page = await OpenAtAsync(Expected.Max(c => c.WindowStart), speed: 1);
        IPage p = page.Page;
        await Expect(p.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "playback");

        await p.Locator("#live").ClickAsync();

        await Expect(p.Locator("#playback-banner")).ToBeHiddenAsync();
        await Expect(p.Locator("#live")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(p.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = Patience });
        await p.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('#ticker li.ticker-item')].some(li => Math.abs(Date.now() - Date.parse(li.dataset.window)) < 120000)",
            null,
            new() { Timeout = Patience });
        Assert.Equal("", await p.EvaluateAsync<string>("() => location.hash"));
    }

    [Fact]
    public async Task GivenPlayback_WhenSpaceThenLArePressed_ThenItPlaysAndThenGoesLive()
    {
        await using SitePage page = await OpenAtAsync(Expected.Min(c => c.WindowStart).AddSeconds(5), speed: 1);
        IPage p = page.Page;

        await p.Keyboard.PressAsync("Space");
        await Expect(p.Locator("#play")).ToHaveAttributeAsync("data-playing", "true");
        await Expect(p.Locator("#play")).ToHaveAttributeAsync("aria-label", "Pause playback");
        await p.Keyboard.PressAsync("l");

        await Expect(p.Locator("#playback-banner")).ToBeHiddenAsync();
        await Expect(p.Locator("#live")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task GivenAMomentOpened_WhenScreenshotsAreTaken_ThenDesktopAndPhonePngsAreSavedAndThePhoneHasNoHorizontalScrollbar()
    {
        DateTimeOffset moment = Expected.Max(c => c.WindowStart).AddSeconds(-5);
        string desktopPath = ArtifactPath("screenshots", "site-playback.png");
        string phonePath = ArtifactPath("screenshots", "site-playback-phone.png");
        File.Delete(desktopPath);
        File.Delete(phonePath);

        await using (SitePage desktop = await OpenAtAsync(moment, speed: 10))
        {
            await desktop.Page.ScreenshotAsync(new() { Path = desktopPath, FullPage = true });
        }

        await using SitePage phone = await OpenAtAsync(moment, speed: 10, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        int[] widths = await phone.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await phone.Page.ScreenshotAsync(new() { Path = phonePath, FullPage = true, Scale = ScreenshotScale.Css });

        Assert.True(widths[0] <= widths[1], $"scrollWidth {widths[0]} > clientWidth {widths[1]}: a horizontal scrollbar");
        Assert.True(new FileInfo(desktopPath).Length > 10_000, desktopPath);
        Assert.True(new FileInfo(phonePath).Length > 10_000, phonePath);
        output.WriteLine($"screenshots: {desktopPath}, {phonePath}");
    }

    [Fact]
    public async Task GivenTheSimulatedQuarterHour_WhenPlayedAt60xForTenSeconds_ThenTheFrameTimeIsUnder50MsAtP95()
    {
        DateTimeOffset start = PlaybackSiteFixture.SimulatedStart;
        await using SitePage page = await OpenAtAsync(start, speed: 60);

        await page.Page.Locator("#play").ClickAsync();
        // requestAnimationFrame to requestAnimationFrame: the time each frame took, over ten seconds of 60x.
        double[] frames = await page.Page.EvaluateAsync<double[]>(
            """
            () => new Promise(resolve => {
              const deltas = [];
              let last = performance.now();
              const end = last + 10000;
              const frame = (t) => {
                deltas.push(t - last);
                last = t;
                if (t < end) requestAnimationFrame(frame); else resolve(deltas);
              };
              requestAnimationFrame(frame);
            })
            """);
        DateTimeOffset shown = await ShownSecondAsync(page.Page);

        double[] sorted = [.. frames.Order()];
        double p95 = sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];
        double p50 = sorted[(sorted.Length - 1) / 2];
        string report = string.Create(
            CultureInfo.InvariantCulture,
            $"playback at 60x in Chromium, {sorted.Length} frames over 10 s (requestAnimationFrame deltas): p50 {p50:F1} ms, p95 {p95:F1} ms, max {sorted[^1]:F1} ms; played {Iso(start)} -> {Iso(shown)}\n");
        await File.WriteAllTextAsync(ArtifactPath("playback-frames.txt"), report);
        output.WriteLine(report);

        Assert.True(shown - start >= TimeSpan.FromMinutes(5), $"60x for 10 s reached only {Iso(shown)}");
        Assert.True(p95 < 50, report);
    }

    private sealed record ExpectedCoPlay(DateTimeOffset WindowStart, string TrackId, long Plays, double DistanceKm);
}
