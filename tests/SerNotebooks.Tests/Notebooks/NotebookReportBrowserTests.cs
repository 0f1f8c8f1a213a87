using System.Diagnostics;
using Xunit.Abstractions;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Notebooks;
using Spectre.Console;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// The acceptance check of the rendered report: the setup notebook, run by <c>sernb notebooks run</c>, opens
/// from disk in headless Chromium with the network cut off, and its Plotly chart is drawn.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookReportBrowserTests(ITestOutputHelper log) : IDisposable
{
    private readonly TestNotebook workspace = new();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task SetupReportRendersItsChartOfflineInChromium()
    {
        var repository = SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        var setup = Path.Combine(repository, "notebooks", "00-setup.ipynb");
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors });

        var clock = Stopwatch.StartNew();
        var exitCode = await NotebooksCommand.RunAsync([setup], workspace.OutputFolder, [], console);
        log.WriteLine($"notebook run + report: {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();

        Assert.True(exitCode == 0, output.ToString());
        var index = Path.Combine(workspace.OutputFolder, HtmlReport.IndexFileName);
        var setupPage = Path.Combine(workspace.OutputFolder, "00-setup.html");
        Assert.True(File.Exists(index), output.ToString());
        Assert.True(File.Exists(setupPage), output.ToString());

        await using var chromium = await HeadlessChromium.LaunchAsync();
        log.WriteLine($"launch: {clock.Elapsed.TotalSeconds:0.0} s");
        var page = await chromium.Context.NewPageAsync();
        var pageErrors = new List<string>();
        var consoleErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(index).AbsoluteUri);
        var row = page.Locator("table.notebooks tr", new() { HasText = "00-setup" });
        Assert.Equal("ok", await row.Locator(".status").InnerTextAsync());

        // Follow the index's link, as a reader would.
        log.WriteLine($"index: {clock.Elapsed.TotalSeconds:0.0} s");
        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Uri(setupPage).AbsoluteUri);
        await page.Locator($".{PlotlyChartHtml.ChartClass} .main-svg").First.WaitForAsync(new() { Timeout = 30_000 });

        log.WriteLine($"chart drawn: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Plotly === 'object' && typeof window.Plotly.newPlot === 'function'"));
        Assert.Equal(1, await page.Locator($".{PlotlyChartHtml.ChartClass}.js-plotly-plot").CountAsync());
        // The sine trace is drawn as a line path with real geometry, and the axis titles made it in.
        var tracePath = await page.Locator(".scatterlayer .trace path.js-line").First.GetAttributeAsync("d");
        Assert.False(string.IsNullOrWhiteSpace(tracePath));
        Assert.True(tracePath!.Split('L').Length > 50, $"the sine line has too few points: {tracePath}");
        Assert.Equal("x (radians)", await page.Locator(".xtitle").TextContentAsync());
        // Prose and the environment report are on the page too.
        Assert.Equal("00 · Setup check", await page.Locator("section.markdown h1").First.InnerTextAsync());
        Assert.Contains(".NET runtime", await page.Locator("pre.stdout").First.InnerTextAsync());

        Assert.Empty(pageErrors);
        Assert.Empty(consoleErrors);
        Assert.Empty(chromium.BlockedRequests);
        log.WriteLine($"browser checks: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task ChartThatNeedsTheNetworkIsCaughtByTheBlockedBrowser()
    {
        // The same chart snippet on a page that does not inline plotly.js: it must reach for the CDN, and the
        // harness must both stop and report that, or the test above could pass on a page that is not offline.
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
