using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Notebooks;
using static SerNotebooks.Tests.Notebooks.ExecutedNotebookJson;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// The browser harness itself (a page that needs the network must be caught) and report behaviour only a browser
/// shows. The acceptance check of the real report (every notebook's page drawn offline) is <see cref="NotebookSuiteTests"/>.
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

    [Fact]
    public async Task LongOutputHidesItsMiddleUntilTheSummaryIsClickedOffline()
    {
        var log = string.Concat(Enumerable.Range(1, 200).Select(i => $"epoch {i:000}\n"));
        var run = Directory.CreateDirectory(Path.Combine(workspace.Folder, "run")).FullName;
        WriteNotebook(Path.Combine(run, "05-long.ipynb"), [Code("Train();", 1, Stream("stdout", log))]);
        var report = HtmlReport.Write(run);

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(new Uri(Assert.Single(report.PagePaths)).AbsoluteUri);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        var output = page.Locator(".output.stdout.long");
        var head = output.Locator("> pre").First;
        var middle = output.Locator("details > pre");
        var tail = output.Locator("> pre").Last;
        Assert.True(await head.IsVisibleAsync());
        Assert.True(await tail.IsVisibleAsync());
        Assert.StartsWith("epoch 001\n", await head.InnerTextAsync());
        Assert.EndsWith("epoch 200", (await tail.InnerTextAsync()).TrimEnd());
        Assert.False(await middle.IsVisibleAsync());
        Assert.False(await page.GetByText("epoch 100").IsVisibleAsync());
        var closedHeight = (await output.BoundingBoxAsync())!.Height;

        await output.Locator("summary").ClickAsync();

        Assert.True(await middle.IsVisibleAsync());
        Assert.True(await page.GetByText("epoch 100").IsVisibleAsync());
        // Closed, the output took the room of its 16 shown lines and the summary, not of its 200 lines.
        var openHeight = (await output.BoundingBoxAsync())!.Height;
        Assert.True(openHeight > 5 * closedHeight, $"closed {closedHeight} px, open {openHeight} px");
        // Read top to bottom, the log is whole and in order: head, the opened middle, tail.
        Assert.Equal(log, await head.InnerTextAsync() + await middle.InnerTextAsync() + await tail.InnerTextAsync());
        Assert.Empty(chromium.BlockedRequests);
    }
}
