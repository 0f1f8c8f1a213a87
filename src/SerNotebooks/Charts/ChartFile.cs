using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>
/// Saves charts as standalone HTML that opens offline: plotly.js (2.28.0, embedded in Plotly.NET.dll) is
/// inlined into the page instead of referenced from a CDN. The page is deterministic — Plotly.NET's random
/// element id is replaced by one derived from the chart's JSON — so the same chart gives the same file.
/// </summary>
public static partial class ChartFile
{
    /// <summary>The standalone HTML page of <paramref name="chart"/>, plotly.js inlined.</summary>
    public static string ToSelfContainedHtml(GenericChart chart, string? documentTitle = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        // F# optional arguments are positional from C#: DocumentTitle, DocumentCharset, DocumentDescription,
        // DocumentFavicon, AdditionalHeadTags, ChartDescription, PlotlyJSReference.
        var options = DisplayOptions.init(documentTitle, null, null, null, null, null, PlotlyJSReference.Full);
        var html = GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, chart));
        html = MakeElementIdDeterministic(DeclareUtf8First(html));
        if (ExternalScriptSource(html) is { } source)
        {
            throw new InvalidOperationException($"The chart page still loads a script from '{source}': it would not open offline.");
        }
        if (!html.Contains("plotly.js v", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("plotly.js was not inlined into the chart page.");
        }
        return html;
    }

    /// <summary>Writes the standalone page atomically to <paramref name="path"/>.</summary>
    public static void SaveSelfContained(GenericChart chart, string path, string? documentTitle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllText(path, ToSelfContainedHtml(chart, documentTitle ?? Path.GetFileNameWithoutExtension(path)));
    }

    /// <summary>The <c>src</c> of the first <c>&lt;script&gt;</c> element that loads code from elsewhere, or null.</summary>
    public static string? ExternalScriptSource(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var match = ScriptSourcePattern().Match(html);
        return match.Success ? match.Groups["src"].Value : null;
    }

    // Plotly.NET puts its <meta charset> after the 3.6 MB inlined script, and browsers only honour a charset
    // declared in the first 1024 bytes: without this, "±", "Δ" and "—" in titles render as mojibake.
    private static string DeclareUtf8First(string html)
    {
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 || head > 512 ? "<meta charset=\"utf-8\">" + html : html.Insert(head + "<head>".Length, "<meta charset=\"utf-8\">");
    }

    private const string Placeholder = "\u0001chart-id\u0001";

    private static string MakeElementIdDeterministic(string html)
    {
        var match = NewPlotPattern().Match(html);
        if (!match.Success)
        {
            return html;
        }
        var randomId = match.Groups["id"].Value;
        var compactId = randomId.Replace("-", "", StringComparison.Ordinal);
        // The id appears with dashes (element id) and without (render function name), only after the inlined
        // plotly.js; rewriting just that tail keeps this cheap on a 3.6 MB page.
        var first = Math.Min(
            html.IndexOf(randomId, StringComparison.Ordinal) is var a and >= 0 ? a : int.MaxValue,
            html.IndexOf(compactId, StringComparison.Ordinal) is var b and >= 0 ? b : int.MaxValue);
        var tail = html[first..].Replace(randomId, Placeholder, StringComparison.Ordinal).Replace(compactId, Placeholder, StringComparison.Ordinal);
        var stableId = "chart_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tail)))[..24];
        return string.Concat(html.AsSpan(0, first), tail.Replace(Placeholder, stableId, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"<script\b[^>]*\bsrc\s*=\s*[""']?(?<src>[^""'\s>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSourcePattern();

    [GeneratedRegex(@"Plotly\.newPlot\('(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})'")]
    private static partial Regex NewPlotPattern();
}
