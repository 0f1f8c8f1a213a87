using SerNotebooks.Notebooks;
using Xunit.Abstractions;

namespace SerNotebooks.Tests.Notebooks.StockHost;

/// <summary>
/// The notebooks run unchanged in VS Code's Polyglot Notebooks, i.e. in the stock .NET Interactive host (not the
/// project's own runner): every cell of every notebook succeeds with no error output on the tiny profile, charts
/// come out as the project's Plotly HTML (not an object tree), and the machine check in notebook 00 finds nothing
/// broken. The host shares its FSharp.Core and finds OpenCV's native library only through
/// <c>NotebookHostCompatibility</c>, which the setup cell installs.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class StockHostNotebookTests(StockHostSuiteRun suite, ITestOutputHelper log) : IClassFixture<StockHostSuiteRun>
{
    [Fact]
    public void EveryCellOfEveryNotebookSucceedsInTheStockHostWithNoErrorOutput()
    {
        Assert.NotEmpty(suite.Runs);
        foreach (var run in suite.Runs)
        {
            foreach (var (cellNumber, result) in run.Cells)
            {
                Assert.True(result.Succeeded && !result.HasErrorOutput,
                    $"{run.Name}, cell {cellNumber}: {result.Status}\n{result.Errors}\n--- host log (last 6,000 characters) ---\n{Tail(run.HostLog, 6_000)}");
            }
            // Every code cell ran (plus the injected parameters cell).
            Assert.Equal(run.CodeCells + 1, run.Cells.Count);
            log.WriteLine($"{run.Name}: {run.Cells.Count} cells in {run.Elapsed.TotalSeconds:0.0} s");
        }
    }

    [Fact]
    public void EveryNotebookShowsItsChartsAsPlotlyHtmlInTheStockHost()
    {
        foreach (var run in suite.Runs)
        {
            var html = run.Cells.SelectMany(c => c.Result.Events).SelectMany(e => e.FormattedValues)
                .Where(v => v.MimeType == "text/html").Select(v => v.Value).ToList();
            Assert.True(html.Any(h => h.Contains(PlotlyChartHtml.ChartClass, StringComparison.Ordinal)),
                $"{run.Name}: no Plotly chart HTML among {html.Count} HTML output(s) in the stock host");
        }
    }

    [Fact]
    public void TheMachineCheckInTheStockHostFindsEveryRequiredPartWorking()
    {
        var setup = Assert.Single(suite.Runs, r => r.Name == "00-setup");
        var text = string.Join('\n', setup.Cells.SelectMany(c => c.Result.Events).SelectMany(e => e.FormattedValues).Select(v => v.Value));
        Assert.Contains("Plotly.NET", text);
        Assert.Contains("Notebook host", text);
        Assert.DoesNotContain("FAILED", text);
        log.WriteLine(text.Split('\n').FirstOrDefault(l => l.StartsWith("Notebook host", StringComparison.Ordinal)) ?? "");
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
