using ListeningTogether.EndToEnd.Fixtures;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>Chromium and a <c>lt serve</c> on a port of its own, which the test may stop and start again on that port.</summary>
public sealed class RestartableSiteFixture : IAsyncLifetime
{
    public Chromium Chromium { get; private set; } = null!;

    public int Port { get; } = SiteServer.FreePort();

    public SiteServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = SiteServer.Start(Port);
        Chromium = await Chromium.LaunchAsync();
        await Server.WaitUntilReadyAsync();
    }

    /// <summary>A new server on the same port (the old one must have stopped).</summary>
    public SiteServer StartAgain()
    {
        Server.Dispose();
        Server = SiteServer.Start(Port);
        return Server;
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

/// <summary>The page keeps trying while the server is away and is live again once a new server answers on the same address.</summary>
[Collection(SiteCollection.Name)]
public sealed class SiteReconnectTests(RestartableSiteFixture site, ITestOutputHelper output) : IClassFixture<RestartableSiteFixture>
{
    private static readonly TimeSpan LiveAgainWithin = TimeSpan.FromSeconds(20);

    /// <summary>How long a stopping server may take before it is killed, as an orchestrator would (lt allows open connections 3 s).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private const string State = "() => document.getElementById('connection-state').dataset.state";

    [Fact]
    public async Task GivenALivePage_WhenTheServerStopsAndANewOneStartsOnTheSamePort_ThenTheStateLeavesLiveAndIsLiveAgainWithinTwentySeconds()
    {
        await using SitePage page = await site.Chromium.NewPageAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} opening {site.Server.Origin}/");
        await page.Page.GotoAsync(site.Server.Origin + "/");
        await Expect(page.Page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} live; stopping the server");

        LtResult? stopped = await site.Server.InterruptAsync(StopGrace);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {(stopped is null ? "still running, killed" : $"exited with {stopped.ExitCode}")}");
        // The page reconnects at once (0 ms), also to a server that is stopping; that must not hold the stop open.
        Assert.True(stopped is not null, $"lt serve was still running {StopGrace.TotalSeconds} s after SIGINT and was killed");
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        await page.Page.WaitForFunctionAsync($"() => ['reconnecting', 'offline'].includes(({State})())", null, new() { Timeout = 10_000 });
        string whileAway = await page.Page.EvaluateAsync<string>(State);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {whileAway}; starting a new server on port {site.Port}");

        SiteServer again = site.StartAgain();
        await page.Page.WaitForFunctionAsync($"() => ({State})() === 'live'", null, new() { Timeout = 40_000, PollingInterval = 100 });
        TimeSpan liveAgain = again.SinceStart;
        output.WriteLine($"state while away: {whileAway}; live again {liveAgain.TotalSeconds:F1} s after the new server's start");

        Assert.Contains(whileAway, new[] { "reconnecting", "offline" });
        Assert.True(liveAgain <= LiveAgainWithin, $"live again {liveAgain.TotalSeconds:F1} s after the new server's start");
        await Expect(page.Page.Locator("#counter-viewers")).ToHaveTextAsync("1", new() { Timeout = 5000 });
        await page.Page.Locator("#map .arc").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
    }
}
