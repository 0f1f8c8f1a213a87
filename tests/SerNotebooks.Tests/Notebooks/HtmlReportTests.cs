using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Notebooks;
using Spectre.Console;
using static SerNotebooks.Tests.Notebooks.ExecutedNotebookJson;

namespace SerNotebooks.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public sealed class HtmlReportTests : IDisposable
{
    // A real 1x1 PNG, as Jupyter kernels store image/png outputs (base64, possibly wrapped).
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private readonly TestNotebook workspace = new();
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;

    public HtmlReportTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 10_000;
    }

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void PageShowsEveryOutputKindInOrderAndInlinesPlotlyOnceBeforeTheCharts()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [1.0, 2.0], y: [3.0, 4.0]);
        var cells = new JsonArray
        {
            Markdown("# Title\nSome **bold** prose."),
            Code("Console.WriteLine(\"<tag> & more\");", 1,
                Stream("stdout", "<tag> & more\n"),
                Stream("stderr", "careful\n"),
                Result("text/plain", "42")),
            Code("chart1", 2, Result("text/html", PlotlyChartHtml.Render(chart))),
            Code("chart2", 3, Result("text/html", PlotlyChartHtml.Render(chart))),
            Code("image", 4, Result("image/png", OnePixelPng[..40] + "\n" + OnePixelPng[40..])),
            Code("throw new Exception();", 5, new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = "InvalidOperationException",
                ["evalue"] = "the <sixth> cell broke",
                ["traceback"] = new JsonArray("\u001b[0;31m   at Submission#5\u001b[0m"),
            }),
        };
        var run = Directory.CreateDirectory(Path.Combine(workspace.Folder, "run")).FullName;
        WriteNotebook(Path.Combine(run, "05-sample.ipynb"), cells);

        var report = HtmlReport.Write(run);

        Assert.Empty(report.ExternalReferences);
        var page = File.ReadAllText(Path.Combine(run, "05-sample.html"));
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", page);
        Assert.Contains("<h1 id=\"title\">Title</h1>", page);
        Assert.Contains("<strong>bold</strong>", page);
        Assert.Contains("<code>Console.WriteLine(&quot;&lt;tag&gt; &amp; more&quot;);</code>", page);
        Assert.Contains("<pre class=\"output stdout\">&lt;tag&gt; &amp; more\n</pre>", page);
        Assert.Contains("<pre class=\"output stderr\">careful\n</pre>", page);
        Assert.Contains("<pre class=\"output plain\">42</pre>", page);
        Assert.Contains($"src=\"data:image/png;base64,{OnePixelPng}\"", page);
        Assert.Contains("<strong>InvalidOperationException</strong>: the &lt;sixth&gt; cell broke", page);
        Assert.Contains("<pre>   at Submission#5</pre>", page);
        Assert.True(Ordered(page, "&lt;tag&gt; &amp; more\n</pre>", "careful", "42</pre>"), "stream and result outputs out of order");

        // One copy of plotly.js, in the head, ahead of both charts.
        var library = $"plotly.js v{PlotlyChartHtml.PlotlyJsVersion}";
        Assert.Equal(page.IndexOf(library, StringComparison.Ordinal), page.LastIndexOf(library, StringComparison.Ordinal));
        Assert.True(Ordered(page, library, "</head>", PlotlyChartHtml.ChartClass));
        Assert.Equal(2, CountOf(page, $"class=\"{PlotlyChartHtml.ChartClass}\""));

        // Executed elsewhere (no run record): the status comes from the error output.
        var index = File.ReadAllText(report.IndexPath);
        Assert.Contains("<span class=\"status failed\">failed</span>", index);
        Assert.Contains("<a href=\"05-sample.html#cell-6\">failed at cell 6: InvalidOperationException: the &lt;sixth&gt; cell broke</a>", index);
        Assert.DoesNotContain(library, index);
    }

    [Fact]
    public void LongOutputShowsItsFirstAndLastLinesWithTheMiddleInAClosedDetailsAndLosesNothing()
    {
        const int count = 200;
        const int head = HtmlReportPage.LongOutputHeadLines;
        const int tail = HtmlReportPage.LongOutputTailLines;
        // A training log's shape, with characters HTML must escape on every line.
        var log = string.Concat(Enumerable.Range(1, count).Select(i => $"epoch {i:000} <loss> & \"acc\"\n"));
        var run = Directory.CreateDirectory(Path.Combine(workspace.Folder, "run")).FullName;
        WriteNotebook(Path.Combine(run, "05-long.ipynb"), [Code("Train();", 1, Stream("stdout", log))]);

        HtmlReport.Write(run);

        var page = File.ReadAllText(Path.Combine(run, "05-long.html"));
        var folded = Regex.Match(page,
            $"<div class=\"output stdout long\"><pre>(?<head>[^<]*)</pre><details><summary>… {count - head - tail} more lines</summary><pre>(?<middle>[^<]*)</pre></details><pre>(?<tail>[^<]*)</pre></div>");
        Assert.True(folded.Success, page);
        Assert.Equal(EscapedLines(1, head), folded.Groups["head"].Value);
        Assert.Equal(EscapedLines(head + 1, count - tail), folded.Groups["middle"].Value);
        Assert.Equal(EscapedLines(count - tail + 1, count), folded.Groups["tail"].Value);
        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(1, CountOf(page, $"epoch {i:000} "));
        }
        Assert.DoesNotContain("<loss>", page);

        static string EscapedLines(int first, int last) =>
            string.Concat(Enumerable.Range(first, last - first + 1).Select(i => $"epoch {i:000} &lt;loss&gt; &amp; &quot;acc&quot;\n"));
    }

    [Fact]
    public void OutputsUpToTheThresholdShowWholeAndOneLineMoreFoldsForEveryTextKind()
    {
        const int whole = HtmlReportPage.MaxOutputLinesShownWhole;
        var shortLog = string.Concat(Enumerable.Range(1, whole).Select(i => $"step {i}\n"));
        var run = Directory.CreateDirectory(Path.Combine(workspace.Folder, "run")).FullName;
        WriteNotebook(Path.Combine(run, "04-edges.ipynb"),
        [
            Code("Short();", 1, Stream("stdout", shortLog)),
            Code("Warn();", 2, Stream("stderr", Lines("warning", whole + 1) + "\n")),
            // A result's text has no final line break; its last line still counts.
            Code("table", 3, Result("text/plain", Lines("row", whole + 1))),
        ]);

        HtmlReport.Write(run);

        var page = File.ReadAllText(Path.Combine(run, "04-edges.html"));
        Assert.Contains($"<pre class=\"output stdout\">{shortLog}</pre>", page);
        Assert.Equal(2, CountOf(page, "<details>"));
        var summary = $"<summary>… {whole + 1 - HtmlReportPage.LongOutputHeadLines - HtmlReportPage.LongOutputTailLines} more lines</summary>";
        Assert.Contains($"<div class=\"output stderr long\"><pre>warning 1\n", page);
        Assert.Contains($"<div class=\"output plain long\"><pre>row 1\n", page);
        Assert.Equal(2, CountOf(page, summary));
        Assert.Contains($"row {whole + 1}</pre></div>", page);

        static string Lines(string word, int count) => string.Join('\n', Enumerable.Range(1, count).Select(i => $"{word} {i}"));
    }

    [Fact]
    public async Task CellThatPrintsLineByLineFoldsAsOneOutputWhileTheExecutedNotebookKeepsEveryLine()
    {
        workspace.Code("for (var epoch = 1; epoch <= 200; epoch++) { Console.WriteLine($\"epoch {epoch:000}\"); }").Save("05-train.ipynb");

        Assert.Equal(0, await NotebooksCommand.RunAsync([workspace.Folder], workspace.OutputFolder, [], console));

        // The collector merges the cell's writes into one stream output; the report folds that one block.
        var stdout = Assert.Single(TestNotebook.ReadCells(Path.Combine(workspace.OutputFolder, "05-train.ipynb"))[0]!["outputs"]!.AsArray());
        Assert.Equal(string.Concat(Enumerable.Range(1, 200).Select(i => $"epoch {i:000}\n")), TestNotebook.Text(stdout!["text"]));
        var page = File.ReadAllText(Path.Combine(workspace.OutputFolder, "05-train.html"));
        Assert.Equal(1, CountOf(page, "<details>"));
        Assert.Contains($"<summary>… {200 - HtmlReportPage.LongOutputHeadLines - HtmlReportPage.LongOutputTailLines} more lines</summary>", page);
    }

    [Fact]
    public async Task FailedRunStillWritesAReportShowingTheFailingCellAndWhatDidNotRun()
    {
        workspace.Code("var profile = \"full\";", NotebookParameters.ParametersTag).Code("throw new InvalidOperationException(\"the second cell broke\");").Save("01-breaks.ipynb");
        workspace.Code("Console.WriteLine(\"never\");").Save("02-after.ipynb");

        var exitCode = await NotebooksCommand.RunAsync([workspace.Folder], workspace.OutputFolder, ["profile=tiny"], console);

        Assert.Equal(NotebooksCommand.NotebookFailedExitCode, exitCode);
        var indexPath = Path.Combine(workspace.OutputFolder, HtmlReport.IndexFileName);
        Assert.Contains($"Report: {indexPath}", output.ToString());
        var index = File.ReadAllText(indexPath);
        Assert.Contains("<a href=\"01-breaks.html#cell-2\">failed at cell 2: System.InvalidOperationException: the second cell broke</a>", index);
        Assert.Contains("<td>02-after</td><td><span class=\"status not-run\">not run</span></td>", index);
        Assert.Contains("<tr><td><code>profile</code></td><td><code>tiny</code></td></tr>", index);
        var page = File.ReadAllText(Path.Combine(workspace.OutputFolder, "01-breaks.html"));
        Assert.Contains("<section class=\"cell code failed\" id=\"cell-2\">", page);
        Assert.Contains("<section class=\"cell code injected\" id=\"cell-1-parameters\">", page);
        Assert.Contains("var profile = &quot;tiny&quot;;", page);
        Assert.Contains("the second cell broke", page);

        // Re-rendered from the executed notebook alone, the failure and its timing survive.
        File.Delete(indexPath);
        Assert.Equal(0, NotebooksCommand.Report(workspace.OutputFolder, console));
        var again = File.ReadAllText(indexPath);
        Assert.Contains("failed at cell 2: System.InvalidOperationException: the second cell broke", again);
        Assert.Matches(@"<td>\d+\.\d s</td>", again);
    }

    [Fact]
    public void ReportOfAFolderWithoutNotebooksIsAnErrorNamingIt()
    {
        var empty = Directory.CreateDirectory(Path.Combine(workspace.Folder, "empty")).FullName;

        Assert.Equal(NotebooksCommand.InvalidInputExitCode, NotebooksCommand.Report(empty, console));
        Assert.Contains($"Run folder {empty} holds no executed .ipynb notebooks", output.ToString());
        Assert.False(File.Exists(Path.Combine(empty, HtmlReport.IndexFileName)));
    }

    [Fact]
    public void ExternalResourcesAreFoundButPlainLinksAreNot()
    {
        var html = """
            <script src="https://cdn.example.org/lib.js"></script>
            <link rel="stylesheet" href="//fonts.example.org/font.css">
            <img alt="x" src='http://example.org/a.png'>
            <a href="https://example.org/paper">the paper</a>
            <script>var source = 'https://cdn.plot.ly/plotly.min.js'; tag.src = source;</script>
            """;

        Assert.Equal(
            ["https://cdn.example.org/lib.js", "//fonts.example.org/font.css", "http://example.org/a.png"],
            HtmlReport.ExternalResources(html));
    }

    private static bool Ordered(string text, params string[] parts)
    {
        var position = -1;
        foreach (var part in parts)
        {
            position = text.IndexOf(part, position + 1, StringComparison.Ordinal);
            if (position < 0)
            {
                return false;
            }
        }
        return true;
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
