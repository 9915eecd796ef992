using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace ListeningTogether.EndToEnd.Site;

/// <summary>
/// The system Chromium (/usr/bin/chromium, installed by scripts/setup.sh) driven by Playwright, headless, with
/// nothing that talks to the network on its own. Playwright gives every launch a fresh temporary profile
/// (--user-data-dir) and removes it on close.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: run scripts/setup.sh");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                Timeout = 30_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a context of its own (no shared cookies or storage), desktop-sized unless told.</summary>
    public async Task<SitePage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        IBrowserContext context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        IPage page = await context.NewPageAsync();
        return new SitePage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page with everything it logged and requested: console errors, uncaught exceptions, request and WebSocket URLs.</summary>
public sealed class SitePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _requests = new();

    public SitePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console.error: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught: {error}");
        page.Request += (_, request) => _requests.Enqueue(request.Url);
        page.WebSocket += (_, socket) => _requests.Enqueue(socket.Url);
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Every URL the page requested, WebSockets included, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
