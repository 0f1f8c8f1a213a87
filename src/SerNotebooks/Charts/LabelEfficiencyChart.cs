using System.Globalization;
using Plotly.NET;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Charts;

/// <summary>
/// Label efficiency: a metric (macro-F1 by default) against the labelled fraction of the training clips, one line per
/// configuration, error bars = ± one std over seeds (and folds). The x axis is categorical — one evenly spaced,
/// exactly labelled point per planned fraction — rather than numeric: the fractions are a handful of design points
/// (typically roughly doubling, 0.1, 0.25, 0.5, 1), which a categorical axis spaces like a log axis would, without
/// log ticks that name fractions nobody trained.
/// </summary>
public static class LabelEfficiencyChart
{
    /// <param name="summaries">One summary per labelled fraction (each pairing runs within its fraction).</param>
    /// <param name="metric">The summarised metric.</param>
    /// <param name="title">Chart title; a default names the metric.</param>
    public static GenericChart Create(IReadOnlyList<(double Fraction, AblationSummary Summary)> summaries, string metric = MetricNames.MacroF1, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        if (summaries.Count == 0)
        {
            throw new ArgumentException("no label fractions to draw", nameof(summaries));
        }
        var ordered = summaries.OrderBy(s => s.Fraction).ToArray();
        var x = ordered.Select(s => FractionLabel(s.Fraction)).ToArray();
        var configurations = ordered.SelectMany(s => s.Summary.Configurations.Select(c => c.Configuration)).Distinct().ToArray();
        var traces = configurations.Select(configuration =>
        {
            var points = ordered.Select(s => s.Summary.Configurations.FirstOrDefault(c => c.Configuration == configuration)).ToArray();
            var trace = new Trace2D("scatter");
            trace.SetProperty("name", points.OfType<ConfigurationSummary>().Select(EvaluationCharts.Label).First());
            trace.SetProperty("mode", "lines+markers");
            // With the layout's scattermode "group", each configuration's points sit side by side at a fraction, so
            // overlapping error bars stay readable.
            trace.SetProperty("orientation", "v");
            trace.SetProperty("x", x);
            trace.SetProperty("y", points.Select(p => p is null || !double.IsFinite(p[metric].Mean) ? (double?)null : p[metric].Mean).ToArray());
            trace.SetProperty("error_y", PlotlyObjects.ErrorArray(points.Select(p => p is null ? double.NaN : p[metric].Std).ToArray()));
            trace.SetProperty("hovertext", points.Select((p, i) => p is null ? "" : $"{configuration}, {x[i]} of the labels: {p[metric].Format()} over {p[metric].Count} run(s)").ToArray());
            return (Trace)trace;
        });
        var legend = new DynamicObj.DynamicObj();
        legend.SetProperty("orientation", "h");
        legend.SetProperty("y", -0.25);
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? $"Label efficiency: {EvaluationCharts.DisplayName(metric)} vs labelled fraction of the training clips (mean ± std)",
            PlotlyObjects.Axis("labelled fraction of the training clips", ("type", "category")),
            PlotlyObjects.Axis(EvaluationCharts.DisplayName(metric), ("rangemode", "tozero")),
            ("legend", legend),
            ("scattermode", "group")));
    }

    /// <summary>"10 %", "25 %", "100 %".</summary>
    public static string FractionLabel(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
