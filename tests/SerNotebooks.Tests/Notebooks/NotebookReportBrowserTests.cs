using SerNotebooks.Notebooks;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// The browser harness itself: a page that needs the network must be caught. The acceptance check of the real
/// report (every notebook's page drawn offline) is <see cref="NotebookSuiteTests"/>.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookReportBrowserTests : IDisposable
{
    private readonly TestNotebook workspace = new();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task ChartThatNeedsTheNetworkIsCaughtByTheBlockedBrowser()
    {
        // The same chart snippet on a page that does not inline plotly.js: it must reach for the CDN, and the
        // harness must both stop and report that, or the suite's browser test could pass on a page that is not offline.
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [1.0, 2.0, 3.0], y: [1.0, 4.0, 9.0]);
        var pagePath = Path.Combine(workspace.Folder, "needs-network.html");
        File.WriteAllText(pagePath, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{PlotlyChartHtml.Render(chart)}</body></html>");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(new Uri(pagePath).AbsoluteUri);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        Assert.Contains(PlotlyChartHtml.PlotlyJsCdnUrl, chromium.BlockedRequests);
        Assert.Equal(0, await page.Locator(".main-svg").CountAsync());
    }
}
