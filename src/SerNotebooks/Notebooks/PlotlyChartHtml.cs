using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Plotly.NET;

namespace SerNotebooks.Notebooks;

/// <summary>
/// Renders a Plotly.NET chart as a notebook-friendly HTML fragment: a &lt;div&gt; plus a script that
/// calls <c>Plotly.newPlot</c> with the chart's figure JSON.
/// </summary>
/// <remarks>
/// The script uses <c>window.Plotly</c> when the page already defines it (an offline report inlines
/// plotly.js once, before any chart), otherwise it loads the plotly.js build that Plotly.NET was made
/// for: through require.js when the host page uses AMD (Jupyter), else with a plain script tag
/// (VS Code). Concurrent charts share one pending load.
/// </remarks>
public static class PlotlyChartHtml
{
    /// <summary>CSS class on every chart container, so reports and tests can find charts.</summary>
    public const string ChartClass = "sernb-plotly-chart";

    /// <summary>The plotly.js version Plotly.NET's JSON targets (and embeds as a resource).</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Where the snippet loads plotly.js from when the page does not define it.</summary>
    public static string PlotlyJsCdnUrl => $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";

    /// <summary>
    /// The plotly.js bundle Plotly.NET ships inside its assembly (about 3.6 MB): an offline page inlines it
    /// once, before any chart, so every chart snippet finds <c>window.Plotly</c> and loads nothing.
    /// </summary>
    public static string ReadEmbeddedPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{PlotlyJsVersion}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} does not embed {name}; cannot build an offline page.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = "sernb-plot-" + Guid.NewGuid().ToString("N");
        // Plotly.NET's own serialisers: the figure (data, layout, frames) and the chart's config.
        var figureJson = GenericChart.toFigureJson(chart);
        var configJson = JsonConvert.SerializeObject(GenericChart.getConfig(chart), Globals.JSON_CONFIG);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" class=\"{ChartClass}\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append(CultureInfo.InvariantCulture, $"  var figure = {EscapeForScript(figureJson)};\n");
        html.Append(CultureInfo.InvariantCulture, $"  var config = {EscapeForScript(configJson)};\n");
        html.Append(CultureInfo.InvariantCulture, $"  var render = function (Plotly) {{ Plotly.newPlot('{id}', figure.data, figure.layout, config).then(function () {{ if (figure.frames && figure.frames.length) {{ Plotly.addFrames('{id}', figure.frames); }} }}); }};\n");
        html.Append("  if (window.Plotly) { render(window.Plotly); return; }\n");
        html.Append("  var waiting = window.__sernbPlotlyWaiting = window.__sernbPlotlyWaiting || [];\n");
        html.Append("  waiting.push(render);\n");
        html.Append("  if (waiting.length > 1) { return; }\n");
        html.Append("  var flush = function (plotly) { window.Plotly = window.Plotly || plotly; while (waiting.length) { waiting.shift()(window.Plotly); } };\n");
        html.Append(CultureInfo.InvariantCulture, $"  var source = '{PlotlyJsCdnUrl}';\n");
        html.Append("  if (typeof window.requirejs === 'function') {\n");
        html.Append("    window.requirejs.config({ paths: { sernbPlotly: source.replace(/\\.js$/, '') } });\n");
        html.Append("    window.requirejs(['sernbPlotly'], flush);\n");
        html.Append("  } else {\n");
        html.Append("    var tag = document.createElement('script');\n");
        html.Append("    tag.src = source; tag.charset = 'utf-8';\n");
        html.Append("    tag.onload = function () { flush(window.Plotly); };\n");
        html.Append("    document.head.appendChild(tag);\n");
        html.Append("  }\n");
        html.Append("})();\n</script>");
        return html.ToString();
    }

    // JSON is valid JavaScript, but a string containing "</script>" or "<!--" would end the script
    // element early; "<\/" means the same to JavaScript and is inert to the HTML parser.
    private static string EscapeForScript(string json) =>
        json.Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\!--", StringComparison.Ordinal);
}
