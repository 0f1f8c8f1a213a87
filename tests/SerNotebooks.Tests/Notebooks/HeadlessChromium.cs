using Microsoft.Playwright;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// Debian's chromium driven by Playwright's bundled node driver (copied to the test output by the
/// Microsoft.Playwright package), never a Playwright browser download, with the network cut off.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;
    private readonly List<string> blockedRequests = [];

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        this.playwright = playwright;
        this.browser = browser;
        Context = context;
    }

    public IBrowserContext Context { get; }

    /// <summary>Every request for something other than a local file (or inline data), in order.</summary>
    public IReadOnlyList<string> BlockedRequests
    {
        get
        {
            lock (blockedRequests)
            {
                return blockedRequests.ToList();
            }
        }
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does this).");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Offline = true });
        var chromium = new HeadlessChromium(playwright, browser, context);
        context.Request += (_, request) => chromium.Record(request.Url);
        await context.RouteAsync("**/*", route =>
            IsLocal(route.Request.Url) ? route.ContinueAsync() : route.AbortAsync("internetdisconnected"));
        return chromium;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await browser.CloseAsync();
        playwright.Dispose();
    }

    private static bool IsLocal(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("about:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("blob:", StringComparison.OrdinalIgnoreCase);

    private void Record(string url)
    {
        if (!IsLocal(url))
        {
            lock (blockedRequests)
            {
                blockedRequests.Add(url);
            }
        }
    }
}
