using Deedle;
using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>How a pretext task's labels spread over a reference labelling (for example the latent emotion).</summary>
public static class LabelRelationCharts
{
    private static readonly string[] Palette = ["#4C78A8", "#E45756", "#54A24B", "#F58518", "#B279A2", "#72B7B2", "#EECA3B", "#9D755D"];

    /// <summary>
    /// Stacked bars, one per reference value (row of <paramref name="contingency"/>), split into the task's classes
    /// (columns) as shares of that row, so rows of different sizes compare. Hover shows the counts. The frame is
    /// <see cref="Pretext.LabelReport.ReferenceContingency"/> (or any count table).
    /// </summary>
    public static GenericChart ClassSharesByReference(Frame<string, string> contingency, string task, string reference = "latent emotion")
    {
        ArgumentNullException.ThrowIfNull(contingency);
        var rows = contingency.RowKeys.ToArray();
        var classes = contingency.ColumnKeys.ToArray();
        var counts = classes.Select(c => rows.Select(r => Convert.ToDouble(contingency.GetColumn<long>(c).TryGet(r).OrDefault(0))).ToArray()).ToArray();
        var totals = rows.Select((_, i) => counts.Sum(column => column[i])).ToArray();
        var traces = classes.Select((name, c) =>
        {
            var shares = rows.Select((_, i) => totals[i] == 0 ? double.NaN : counts[c][i] / totals[i]).ToArray();
            var bar = PlotlyObjects.Bar(name, rows, shares,
                hoverText: rows.Select((r, i) => $"{r}: {counts[c][i]:0} of {totals[i]:0} labelled as {name}").ToArray());
            var marker = new DynamicObj.DynamicObj();
            marker.SetProperty("color", Palette[c % Palette.Length]);
            bar.SetProperty("marker", marker);
            return (Trace)bar;
        }).ToList();
        var layout = PlotlyObjects.Layout($"{task} labels per {reference}", PlotlyObjects.Axis(reference),
            PlotlyObjects.Axis("share", ("range", new[] { 0.0, 1.0 })), ("barmode", "stack"), ("width", 800), ("height", 420));
        return PlotlyObjects.Chart(traces, layout);
    }
}
