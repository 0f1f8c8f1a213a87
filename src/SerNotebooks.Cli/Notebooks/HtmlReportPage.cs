using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Markdig;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>
/// Renders one executed notebook as a self-contained HTML page: markdown as HTML, code with its outputs in
/// order, charts live (plotly.js inlined once in the head), nothing loaded from elsewhere.
/// </summary>
public static partial class HtmlReportPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    // Rich outputs carry several renderings; the richest one a browser shows offline wins, as in Jupyter.
    private static readonly string[] PreferredMimeTypes =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"];

    // Long logs (a line per epoch per run in 05's training cell, labelling progress) would bury the page, so
    // the report shows how they start (configuration, first epochs) and how they end (last epochs, results),
    // with the middle behind a native <details> that opens without JavaScript. The .ipynb keeps every line.
    public const int LongOutputHeadLines = 8;
    public const int LongOutputTailLines = 8;

    // Folding away only a few lines saves less room than the click to read them costs.
    public const int MaxOutputLinesShownWhole = LongOutputHeadLines + LongOutputTailLines + 8;

    public static string FileName(ExecutedNotebook notebook) => notebook.Name + ".html";

    public static string Render(ExecutedNotebook notebook, Lazy<string> plotlyJs)
    {
        var cells = new StringBuilder();
        foreach (var cell in notebook.Cells)
        {
            RenderCell(cell, notebook.Failure, cells);
        }
        var body = cells.ToString();

        var page = new StringBuilder();
        HtmlReportLayout.AppendHead(page, $"{notebook.Name} · SerNotebooks report");
        // Chart snippets use window.Plotly when it exists, so the library must be defined before the first
        // chart's script runs; a page without charts does not carry the 3.6 MB bundle.
        if (body.Contains("Plotly.newPlot", StringComparison.Ordinal))
        {
            page.Append("<script>\n").Append(plotlyJs.Value).Append("\n</script>\n");
        }
        page.Append("</head>\n<body>\n");
        page.Append("<nav><a href=\"index.html\">&larr; All notebooks</a></nav>\n");
        page.Append(CultureInfo.InvariantCulture, $"<header><h1>{Encode(notebook.Name)}</h1>\n");
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"run-status\">{HtmlReportLayout.StatusBadge(notebook)} {Encode(HtmlReportLayout.Summary(notebook))}</p>\n");
        if (notebook.Run is { Parameters.Count: > 0 } run)
        {
            page.Append(HtmlReportLayout.ParametersTable(run.Parameters));
        }
        page.Append("</header>\n<main>\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void RenderCell(ExecutedCell cell, NotebookFailure? failure, StringBuilder html)
    {
        if (cell.Kind == "markdown")
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"cell markdown\" id=\"cell-{cell.CellNumber}\">\n");
            html.Append(Markdig.Markdown.ToHtml(cell.Source, Markdown));
            html.Append("</section>\n");
            return;
        }
        if (cell.Kind != "code")
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"cell raw\" id=\"cell-{cell.CellNumber}\"><pre>{Encode(cell.Source)}</pre></section>\n");
            return;
        }

        var failed = failure is not null && failure.CellNumber == cell.CellNumber && failure.IsInjectedParametersCell == cell.IsInjectedParameters;
        var id = cell.IsInjectedParameters ? $"cell-{cell.CellNumber}-parameters" : $"cell-{cell.CellNumber}";
        var classes = "cell code" + (cell.IsInjectedParameters ? " injected" : "") + (failed ? " failed" : "");
        var label = cell.IsInjectedParameters
            ? "parameters (injected)"
            : cell.ExecutionCount is { } count ? $"[{count}]" : "[ ]";
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"{classes}\" id=\"{id}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"prompt\">cell {cell.CellNumber} {Encode(label)}</div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<pre class=\"source\"><code>{Encode(cell.Source)}</code></pre>\n");
        if (cell.Outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs)
            {
                RenderOutput(output, html);
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void RenderOutput(JsonElement output, StringBuilder html)
    {
        switch (ExecutedNotebook.Text(output, "output_type"))
        {
            case "stream":
                var stream = ExecutedNotebook.Text(output, "name") == "stderr" ? "stderr" : "stdout";
                AppendText(stream, ExecutedNotebook.Text(output, "text"), html);
                break;
            case "error":
                html.Append("<div class=\"output error\">");
                html.Append(CultureInfo.InvariantCulture, $"<p><strong>{Encode(ExecutedNotebook.Text(output, "ename"))}</strong>: {Encode(StripAnsi(ExecutedNotebook.Text(output, "evalue")))}</p>");
                if (output.TryGetProperty("traceback", out var traceback) && traceback.ValueKind == JsonValueKind.Array && traceback.GetArrayLength() > 0)
                {
                    var lines = traceback.EnumerateArray().Select(ExecutedNotebook.Text);
                    html.Append(CultureInfo.InvariantCulture, $"<pre>{Encode(StripAnsi(string.Join('\n', lines)))}</pre>");
                }
                html.Append("</div>\n");
                break;
            case "display_data" or "execute_result" when output.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object:
                RenderRichOutput(data, html);
                break;
        }
    }

    private static void RenderRichOutput(JsonElement data, StringBuilder html)
    {
        var mimeType = PreferredMimeTypes.FirstOrDefault(m => data.TryGetProperty(m, out _));
        if (mimeType is null)
        {
            return;
        }
        var value = ExecutedNotebook.Text(data.GetProperty(mimeType));
        switch (mimeType)
        {
            case "text/html":
                // Trusted: these are the notebook's own outputs (charts are scripts), as Jupyter shows trusted notebooks.
                html.Append("<div class=\"output html\">").Append(value).Append("</div>\n");
                break;
            case "image/svg+xml":
                html.Append("<div class=\"output image\">").Append(value).Append("</div>\n");
                break;
            case "image/png" or "image/jpeg":
                var base64 = WhitespacePattern().Replace(value, "");
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"output image\"><img alt=\"cell output\" src=\"data:{mimeType};base64,{base64}\"></div>\n");
                break;
            case "text/markdown":
                html.Append("<div class=\"output markdown\">").Append(Markdig.Markdown.ToHtml(value, Markdown)).Append("</div>\n");
                break;
            default:
                AppendText("plain", value, html);
                break;
        }
    }

    /// <summary>
    /// A text output (stdout, stderr, text/plain) as one <c>pre</c>; when longer than <see cref="MaxOutputLinesShownWhole"/>
    /// lines, its head and tail with the middle in a closed <c>details</c>. The three parts together are the whole text.
    /// </summary>
    private static void AppendText(string kind, string text, StringBuilder html)
    {
        text = StripAnsi(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        if (lineStarts.Count <= MaxOutputLinesShownWhole)
        {
            html.Append(CultureInfo.InvariantCulture, $"<pre class=\"output {kind}\">{PreText(text)}</pre>\n");
            return;
        }
        var middleStart = lineStarts[LongOutputHeadLines];
        var tailStart = lineStarts[^LongOutputTailLines];
        var hidden = lineStarts.Count - LongOutputHeadLines - LongOutputTailLines;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"output {kind} long\"><pre>{PreText(text[..middleStart])}</pre>");
        html.Append(CultureInfo.InvariantCulture, $"<details><summary>… {hidden} more lines</summary><pre>{PreText(text[middleStart..tailStart])}</pre></details>");
        html.Append(CultureInfo.InvariantCulture, $"<pre>{PreText(text[tailStart..])}</pre></div>\n");
    }

    // The HTML parser drops one line break right after <pre>: a text that starts with an empty line gets a spare.
    private static string PreText(string text) =>
        (text.StartsWith('\n') || text.StartsWith('\r') ? "\n" : "") + Encode(text);

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string StripAnsi(string text) => AnsiEscapePattern().Replace(text, "");

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscapePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
