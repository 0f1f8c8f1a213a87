using System.Text.Json;
using System.Text.Json.Nodes;
using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Notebooks;
using Xunit.Abstractions;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// Issue 7's acceptance: every notebook in notebooks/ (discovered, so new notebooks are covered as they are
/// added) runs headless with the tiny profile, in order, through <c>sernb notebooks run</c>'s own runner; each
/// one has a narrative, one parameters cell and a chart; and the HTML report renders offline in Chromium.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookSuiteTests(NotebookSuiteRun suite, ITestOutputHelper log) : IClassFixture<NotebookSuiteRun>
{
    [Fact]
    public void EveryNotebookRunsWithTheTinyProfileWithoutACellError()
    {
        Assert.NotEmpty(suite.Notebooks);
        foreach (var notebook in suite.Notebooks)
        {
            var executedPath = suite.ExecutedPath(notebook);
            Assert.True(File.Exists(executedPath), $"{notebook} did not run: an earlier notebook failed.\n{suite.ConsoleOutput}");
            var executed = ExecutedNotebook.Load(executedPath);
            Assert.True(executed.Succeeded, executed.Failure?.Describe(notebook));
            log.WriteLine($"{executed.Name}: {executed.Run!.Duration.TotalSeconds:0.0} s");
        }
        log.WriteLine($"suite: {suite.Elapsed.TotalSeconds:0.0} s");
        Assert.True(suite.ExitCode == 0, suite.ConsoleOutput);
    }

    [Fact]
    public void EveryNotebookHasANarrativeOneParametersCellTheParametersAppliedAndAChart()
    {
        var parameters = NotebookParameters.Parse(suite.Parameters);
        foreach (var notebook in suite.Notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var cells = TestNotebook.ReadCells(notebook);
            var markdown = cells.Where(c => Kind(c) == "markdown").Select(c => TestNotebook.Text(c!["source"])).ToList();
            Assert.True(markdown.Count >= 2, $"{name}: {markdown.Count} markdown cell(s); a notebook explains itself between its code cells");
            Assert.True(markdown[0].StartsWith($"# {name[..2]} ", StringComparison.Ordinal), $"{name}: its first markdown cell should be the title '# {name[..2]} · ...', not: {markdown[0]}");
            Assert.True(1 == cells.Count(c => Tags(c).Contains(NotebookParameters.ParametersTag)), $"{name}: needs exactly one cell tagged '{NotebookParameters.ParametersTag}'");

            var executedPath = suite.ExecutedPath(notebook);
            Assert.True(File.Exists(executedPath), $"{name} did not run.\n{suite.ConsoleOutput}");
            var executed = ExecutedNotebook.Load(executedPath);
            Assert.Equal(parameters, executed.Run!.Parameters);
            var html = executed.Cells.SelectMany(c => c.Outputs).Select(Html).Where(h => h.Length > 0).ToList();
            Assert.True(html.Any(h => h.Contains(PlotlyChartHtml.ChartClass, StringComparison.Ordinal)), $"{name}: no Plotly chart in its outputs");
            foreach (var output in html)
            {
                Assert.Empty(HtmlReport.ExternalResources(output));
            }
        }
    }

    [Fact]
    public void ReportHasAnIndexAndOnePagePerNotebookAndLoadsNothingFromTheNetwork()
    {
        var indexPath = Path.Combine(suite.OutputFolder, HtmlReport.IndexFileName);
        Assert.True(File.Exists(indexPath), suite.ConsoleOutput);
        var index = File.ReadAllText(indexPath);
        Assert.Empty(HtmlReport.ExternalResources(index));
        var pages = Directory.GetFiles(suite.OutputFolder, "*.html").Where(p => p != indexPath).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(suite.Notebooks.Select(n => Path.GetFileNameWithoutExtension(n) + ".html").Order(StringComparer.Ordinal), pages);
        foreach (var notebook in suite.Notebooks)
        {
            var page = Path.GetFileNameWithoutExtension(notebook) + ".html";
            Assert.Contains($"<a href=\"{Uri.EscapeDataString(page)}\">", index);
            var html = File.ReadAllText(Path.Combine(suite.OutputFolder, page));
            Assert.Empty(HtmlReport.ExternalResources(html));
            Assert.Contains($"class=\"{PlotlyChartHtml.ChartClass}\"", html);
        }
    }

    [Fact]
    public async Task ReportRendersEveryChartOfEveryNotebookOfflineInChromium()
    {
        Assert.True(suite.ExitCode == 0, suite.ConsoleOutput);
        var indexPath = Path.Combine(suite.OutputFolder, HtmlReport.IndexFileName);

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        var pageErrors = new List<string>();
        var consoleErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add($"{page.Url}: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{page.Url}: {message.Text}");
            }
        };

        await page.GotoAsync(new Uri(indexPath).AbsoluteUri);
        foreach (var notebook in suite.Notebooks)
        {
            var row = page.Locator("table.notebooks tr", new() { HasText = Path.GetFileNameWithoutExtension(notebook) });
            Assert.Equal("ok", await row.Locator(".status").InnerTextAsync());
        }

        foreach (var notebook in suite.Notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var pagePath = Path.Combine(suite.OutputFolder, name + ".html");
            var charts = CountOf(File.ReadAllText(pagePath), $"class=\"{PlotlyChartHtml.ChartClass}\"");
            // Follow the index's link, as a reader would.
            await page.GotoAsync(new Uri(indexPath).AbsoluteUri);
            await page.Locator("table.notebooks tr", new() { HasText = name }).Locator("a").First.ClickAsync();
            await page.WaitForURLAsync(new Uri(pagePath).AbsoluteUri);
            // Plotly marks a container js-plotly-plot once it has drawn into it: every chart of the page must be drawn.
            await page.WaitForFunctionAsync(
                $"() => document.querySelectorAll('.{PlotlyChartHtml.ChartClass}.js-plotly-plot .main-svg').length >= {charts}",
                null, new() { Timeout = 60_000 });
            Assert.Equal(charts, await page.Locator($".{PlotlyChartHtml.ChartClass}.js-plotly-plot").CountAsync());
            Assert.Equal(Title(notebook), (await page.Locator("section.markdown h1").First.InnerTextAsync()).Trim());
            log.WriteLine($"{name}: {charts} chart(s) drawn");

            if (name == "00-setup")
            {
                // The sine trace is drawn as a line path with real geometry, and the axis titles made it in.
                var tracePath = await page.Locator(".scatterlayer .trace path.js-line").First.GetAttributeAsync("d");
                Assert.False(string.IsNullOrWhiteSpace(tracePath));
                Assert.True(tracePath!.Split('L').Length > 50, $"the sine line has too few points: {tracePath}");
                Assert.Equal("x (radians)", await page.Locator(".xtitle").TextContentAsync());
                // The doctor's table, one output whether it shows whole (a pre) or folded (a div of pres) as it grows.
                Assert.Equal(1, await page.Locator(".output.stdout", new() { HasText = ".NET runtime" }).CountAsync());
            }
        }

        Assert.Empty(pageErrors);
        Assert.Empty(consoleErrors);
        Assert.Empty(chromium.BlockedRequests);
    }

    [Fact]
    public void Notebook07ShowsTheWholeStudyTheClusteringTaskAndTheRegressionVariantIncluded()
    {
        // tiny.json's "targetCombinations" is "best;opt-in": notebook 07 trains and tabulates the opt-in tasks beside the baseline
        // and the best combination, under every target, with the same statistics and charts.
        Assert.True(suite.ExitCode == 0, suite.ConsoleOutput);
        var summary = File.ReadAllLines(Path.Combine(suite.RunsFolder, "beyond", "summary.csv"));
        foreach (var configuration in new[] { "clustering", "facial-activation-regression" })
        {
            Assert.Equal(3, summary.Count(line => line.StartsWith(configuration + ",", StringComparison.Ordinal)));
            Assert.True(File.Exists(Path.Combine(suite.RunsFolder, "beyond", "charts", $"delta-vs-intended-{configuration}.html")), configuration);
        }
        var executed = ExecutedNotebook.Load(suite.ExecutedPath(suite.Notebooks.Single(n => Path.GetFileName(n).StartsWith("07-", StringComparison.Ordinal))));
        var text = string.Join('\n', executed.Cells.SelectMany(c => c.Outputs).Select(o => o.GetRawText()));
        Assert.Contains("facial-activation-regression, clustering (opt-in: each registered opt-in task alone)", text);
    }

    [Fact]
    public async Task TheRunsFoldersStandaloneChartsDrawOfflineInChromium()
    {
        Assert.True(suite.ExitCode == 0, suite.ConsoleOutput);
        // The ablation's charts (notebook 05) and the target study's (notebook 07), as a reader opens them from the folder.
        var charts = new[] { Path.Combine(suite.RunsFolder, "charts"), Path.Combine(suite.RunsFolder, "beyond", "charts") }
            .SelectMany(folder => Directory.GetFiles(folder, "*.html")).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(charts, c => c.Contains("beyond", StringComparison.Ordinal) && c.EndsWith("penalty-matrix.html", StringComparison.Ordinal));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add($"{page.Url}: {error}");
        foreach (var chart in charts)
        {
            await page.GotoAsync(new Uri(chart).AbsoluteUri);
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", null, new() { Timeout = 60_000 });
        }
        log.WriteLine($"{charts.Count} standalone chart(s) drawn");

        Assert.Empty(pageErrors);
        Assert.Empty(chromium.BlockedRequests);
    }

    private static string Kind(JsonNode? cell) => cell!["cell_type"]!.GetValue<string>();

    private static IReadOnlyList<string> Tags(JsonNode? cell) =>
        cell!["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToArray() : [];

    private static string Html(JsonElement output) =>
        output.TryGetProperty("data", out var data) && data.TryGetProperty("text/html", out var html) ? ExecutedNotebook.Text(html) : "";

    /// <summary>The notebook's title: its first markdown heading, without the '# '.</summary>
    private static string Title(string notebook) =>
        TestNotebook.Text(TestNotebook.ReadCells(notebook).First(c => Kind(c) == "markdown")!["source"]).Split('\n')[0][2..].Trim();

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
