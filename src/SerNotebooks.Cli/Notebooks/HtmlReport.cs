using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SerNotebooks.Notebooks;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>What <see cref="HtmlReport.Write"/> produced.</summary>
/// <param name="ExternalReferences">Resources a page would load from elsewhere (page, URL); empty when the
/// whole report opens offline.</param>
public sealed record HtmlReportResult(
    string IndexPath,
    IReadOnlyList<string> PagePaths,
    IReadOnlyList<ExecutedNotebook> Notebooks,
    IReadOnlyList<(string Page, string Url)> ExternalReferences);

/// <summary>
/// The HTML report of one run folder: <c>index.html</c> (one row per notebook: status, failing cell, duration,
/// link) and one self-contained page per executed notebook, all opening offline.
/// </summary>
public static partial class HtmlReport
{
    public const string IndexFileName = "index.html";

    /// <summary>
    /// Renders every executed .ipynb in <paramref name="runDirectory"/>; <paramref name="notRun"/> names
    /// notebooks the run never reached (listed as "not run"). Files are written atomically.
    /// </summary>
    public static HtmlReportResult Write(string runDirectory, IReadOnlyList<string>? notRun = null)
    {
        var folder = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Run folder {folder} does not exist.");
        }
        var notebooks = Directory.GetFiles(folder, "*.ipynb")
            .Order(StringComparer.Ordinal)
            .Select(ExecutedNotebook.Load)
            .ToList();
        if (notebooks.Count == 0)
        {
            throw new FileNotFoundException($"Run folder {folder} holds no executed .ipynb notebooks.", folder);
        }
        // Execution order when the runner recorded it (explicit file lists need not be in name order).
        if (notebooks.All(n => n.Run is not null))
        {
            notebooks = notebooks.OrderBy(n => n.Run!.StartedUtc).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        }

        var plotlyJs = new Lazy<string>(ReadPlotlyJs);
        var pages = new List<string>();
        var external = new List<(string, string)>();
        foreach (var notebook in notebooks)
        {
            var page = Path.Combine(folder, HtmlReportPage.FileName(notebook));
            var html = HtmlReportPage.Render(notebook, plotlyJs);
            external.AddRange(ExternalResources(html).Select(url => (page, url)));
            AtomicFile.WriteAllText(page, html);
            pages.Add(page);
        }

        var index = RenderIndex(folder, notebooks, notRun ?? []);
        external.AddRange(ExternalResources(index).Select(url => (IndexFileName, url)));
        var indexPath = Path.Combine(folder, IndexFileName);
        AtomicFile.WriteAllText(indexPath, index);
        return new HtmlReportResult(indexPath, pages, notebooks, external);
    }

    /// <summary>URLs the page would fetch from another machine: script/img/iframe src, stylesheet links, CSS url().</summary>
    public static IReadOnlyList<string> ExternalResources(string html) =>
        ExternalResourcePattern().Matches(html).Select(m => m.Groups["url"].Value).Distinct(StringComparer.Ordinal).ToList();

    private static string RenderIndex(string folder, IReadOnlyList<ExecutedNotebook> notebooks, IReadOnlyList<string> notRun)
    {
        var html = new StringBuilder();
        var runName = Path.GetFileName(folder);
        HtmlReportLayout.AppendHead(html, $"SerNotebooks report · {runName}");
        html.Append("</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<header><h1>SerNotebooks report</h1>\n<p class=\"muted\">run <code>{HtmlReportPage.Encode(runName)}</code>");
        var records = notebooks.Select(n => n.Run).OfType<NotebookRunRecord>().ToList();
        if (records.Count > 0)
        {
            var total = records.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration);
            html.Append(CultureInfo.InvariantCulture, $" · started {HtmlReportLayout.Timestamp(records.Min(r => r.StartedUtc))} · {HtmlReportLayout.Seconds(total)} of notebook time");
        }
        var failed = notebooks.Count(n => !n.Succeeded);
        html.Append(CultureInfo.InvariantCulture, $" · {notebooks.Count - failed} ok, {failed} failed");
        if (notRun.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $", {notRun.Count} not run");
        }
        html.Append("</p>\n</header>\n<main>\n");

        var parameters = records.SelectMany(r => r.Parameters)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(p => p.Value).Distinct(StringComparer.Ordinal)), StringComparer.Ordinal);
        html.Append("<h2>Parameters</h2>\n");
        html.Append(parameters.Count > 0 ? HtmlReportLayout.ParametersTable(parameters) : "<p class=\"muted\">none given: each notebook's defaults</p>\n");

        html.Append("<h2>Notebooks</h2>\n<table class=\"notebooks\">\n<tr><th>notebook</th><th>status</th><th>duration</th><th>details</th></tr>\n");
        foreach (var notebook in notebooks)
        {
            var page = Uri.EscapeDataString(HtmlReportPage.FileName(notebook));
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(notebook.Succeeded ? "ok" : "failed")}\"><td><a href=\"{page}\">{HtmlReportPage.Encode(notebook.Name)}</a></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{HtmlReportLayout.StatusBadge(notebook)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(notebook.Run is { } run ? HtmlReportLayout.Seconds(run.Duration) : "–")}</td>");
            if (notebook.Failure is { } failure)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td><a href=\"{page}#{HtmlReportLayout.FailureAnchor(failure)}\">{HtmlReportPage.Encode(HtmlReportLayout.FailureText(failure))}</a></td></tr>\n");
            }
            else
            {
                html.Append("<td></td></tr>\n");
            }
        }
        foreach (var name in notRun)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"not-run\"><td>{HtmlReportPage.Encode(Path.GetFileNameWithoutExtension(name))}</td><td><span class=\"status not-run\">not run</span></td><td>–</td><td>the run stopped at an earlier failure</td></tr>\n");
        }
        html.Append("</table>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string ReadPlotlyJs()
    {
        var script = PlotlyChartHtml.ReadEmbeddedPlotlyJs();
        // Inlined into a <script> element: an end tag inside would cut the library short.
        if (script.Contains("</script", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The embedded plotly.js contains '</script' and cannot be inlined into the report.");
        }
        return script;
    }

    [GeneratedRegex(@"(?:<(?:script|img|iframe|source|video|audio|embed|input)\b[^>]*?\bsrc\s*=\s*[""']?|<link\b[^>]*?\bhref\s*=\s*[""']?|url\(\s*[""']?|@import\s+[""'])(?<url>(?:https?:)?//[^""'\s>)]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalResourcePattern();
}
