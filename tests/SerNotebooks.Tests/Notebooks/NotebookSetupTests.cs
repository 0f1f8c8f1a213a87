using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using SerNotebooks.Notebooks;

namespace SerNotebooks.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public sealed class NotebookSetupTests
{
    private static GenericChart SampleChart() =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 0.0, 1.0 }, y: new[] { 1.0, 3.0 }, Name: "a </script> in a name");

    [Fact]
    public void ChartsDisplayAsPlotlyHtmlAndSurviveAFormatterReset()
    {
        NotebookSetup.Initialize();
        NotebookSetup.Initialize();
        Assert.True(NotebookSetup.IsInitialized);
        Assert.Contains("Plotly.newPlot", SampleChart().ToDisplayString(HtmlFormatter.MimeType));

        Formatter.ResetToDefault();
        Assert.False(NotebookSetup.IsInitialized);
        NotebookSetup.Initialize();

        Assert.True(NotebookSetup.IsInitialized);
        Assert.Contains(PlotlyChartHtml.ChartClass, SampleChart().ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void ChartHtmlCarriesTheFigureAndCannotEndItsScriptEarly()
    {
        var html = PlotlyChartHtml.Render(SampleChart());

        Assert.Equal(1, CountOf(html, "</script>"));
        Assert.Contains("a <\\/script> in a name", html);
        Assert.Contains("\"y\":[1.0,3.0]", html);
        Assert.Contains(PlotlyChartHtml.PlotlyJsCdnUrl, html);
        Assert.Contains("if (window.Plotly)", html);
    }

    [Fact]
    public void EmbeddedPlotlyJsIsTheVersionTheSnippetsTarget()
    {
        var script = PlotlyChartHtml.ReadEmbeddedPlotlyJs();

        Assert.True(script.Length > 1_000_000, $"plotly.js is only {script.Length} characters");
        Assert.Contains($"plotly.js v{PlotlyChartHtml.PlotlyJsVersion}", script);
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
