using Plotly.NET;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Charts;

/// <summary>
/// Full fine-tuning and the linear probe side by side: grouped bars of one metric (macro-F1 by default) per
/// configuration, one trace per mode, mean ± std. The probe's baseline is a frozen random encoder — the chance-level
/// reference a probe of a pre-trained encoder must beat.
/// </summary>
public static class ProbeComparisonChart
{
    /// <param name="summaries">One summary per mode ("full", "probe"), each over the same labelled fraction.</param>
    /// <param name="metric">The summarised metric.</param>
    /// <param name="title">Chart title; a default names the metric.</param>
    public static GenericChart Create(IReadOnlyList<(string Mode, AblationSummary Summary)> summaries, string metric = MetricNames.MacroF1, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        if (summaries.Count == 0)
        {
            throw new ArgumentException("no fine-tuning modes to draw", nameof(summaries));
        }
        var traces = summaries.Select(s =>
        {
            var configurations = s.Summary.Configurations;
            return (Trace)PlotlyObjects.Bar(
                s.Mode,
                configurations.Select(EvaluationCharts.Label).ToArray(),
                configurations.Select(c => c[metric].Mean).ToArray(),
                configurations.Select(c => c[metric].Std).ToArray(),
                configurations.Select(c => $"{c.Configuration} ({s.Mode}): {c[metric].Format()} over {c[metric].Count} run(s)").ToArray());
        });
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? $"Full fine-tuning vs linear probe (frozen encoder): {EvaluationCharts.DisplayName(metric)}, mean ± std",
            PlotlyObjects.Axis("configuration"),
            PlotlyObjects.Axis(EvaluationCharts.DisplayName(metric), ("rangemode", "tozero")),
            ("barmode", "group")));
    }
}
