using System.Globalization;
using System.Text;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>The parts the index and the notebook pages share: head, inline style, status wording.</summary>
internal static class HtmlReportLayout
{
    // Inline on purpose: the report must open offline from a file:// URL, so no stylesheet is linked.
    private const string Style = """
        :root { color-scheme: light; --ok: #1a7f37; --fail: #cf222e; --muted: #57606a; --line: #d0d7de; --code: #f6f8fa; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1100px; margin: 0 auto; padding: 1.5rem; color: #1f2328; line-height: 1.5; }
        h1 { margin-bottom: .25rem; }
        nav { margin-bottom: 1rem; }
        a { color: #0969da; }
        table { border-collapse: collapse; margin: .75rem 0; }
        th, td { border: 1px solid var(--line); padding: .35rem .7rem; text-align: left; vertical-align: top; }
        th { background: var(--code); }
        .status { font-weight: 600; padding: .05rem .45rem; border-radius: .3rem; color: #fff; }
        .status.ok { background: var(--ok); }
        .status.failed { background: var(--fail); }
        .status.not-run { background: var(--muted); }
        .muted, .prompt { color: var(--muted); font-size: .85rem; }
        .cell { margin: 1.1rem 0; }
        .cell.code { border-left: 3px solid var(--line); padding-left: .8rem; }
        .cell.injected { border-left-color: #bf8700; }
        .cell.failed { border-left-color: var(--fail); }
        pre { background: var(--code); padding: .6rem .8rem; overflow-x: auto; border-radius: .3rem; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; }
        pre.source { border: 1px solid var(--line); }
        pre.output { background: #fff; border: 1px dashed var(--line); }
        pre.stderr { background: #fff8c5; }
        .output.long { background: #fff; border: 1px dashed var(--line); border-radius: .3rem; padding: .6rem 0; margin: 1em 0; }
        .output.long.stderr { background: #fff8c5; }
        .output.long pre { background: transparent; margin: 0; padding: 0 .8rem; border-radius: 0; }
        .output.long summary { color: var(--muted); font-size: .85rem; padding: .1rem .8rem; cursor: pointer; }
        .output.error { background: #ffebe9; border: 1px solid var(--fail); border-radius: .3rem; padding: .4rem .8rem; color: #82071e; }
        .output.error pre { background: transparent; padding: 0; }
        .output img { max-width: 100%; }
        .output.html { overflow-x: auto; }
        """;

    public static void AppendHead(StringBuilder html, string title)
    {
        // The charset comes first: browsers honour it only within the first 1024 bytes.
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{HtmlReportPage.Encode(title)}</title>\n");
        html.Append("<style>\n").Append(Style).Append("\n</style>\n");
    }

    public static string StatusBadge(ExecutedNotebook notebook) =>
        notebook.Succeeded ? "<span class=\"status ok\">ok</span>" : "<span class=\"status failed\">failed</span>";

    /// <summary>"failed at cell 3: message" or "ran in 2.1 s", as plain text.</summary>
    public static string Summary(ExecutedNotebook notebook)
    {
        var parts = new List<string>();
        if (notebook.Failure is { } failure)
        {
            parts.Add(FailureText(failure));
        }
        if (notebook.Run is { } run)
        {
            parts.Add($"ran {Seconds(run.Duration)} from {Timestamp(run.StartedUtc)}");
        }
        return string.Join(" · ", parts);
    }

    public static string FailureText(NotebookFailure failure) =>
        failure.IsInjectedParametersCell
            ? $"failed in the parameters injected after cell {failure.CellNumber}: {failure.Message}"
            : $"failed at cell {failure.CellNumber}: {failure.Message}";

    public static string FailureAnchor(NotebookFailure failure) =>
        failure.IsInjectedParametersCell ? $"cell-{failure.CellNumber}-parameters" : $"cell-{failure.CellNumber}";

    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string ParametersTable(IReadOnlyDictionary<string, string> parameters)
    {
        var html = new StringBuilder("<table class=\"parameters\"><tr><th>parameter</th><th>value</th></tr>\n");
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{HtmlReportPage.Encode(name)}</code></td><td><code>{HtmlReportPage.Encode(value)}</code></td></tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }
}
