using System.Globalization;
using Plotly.NET;
using SerNotebooks.Training;

namespace SerNotebooks.Charts;

/// <summary>The penalty-matrix loss's P (<see cref="PenaltyMatrix"/>) as a heatmap.</summary>
public static class PenaltyMatrixChart
{
    /// <summary>
    /// Target classes top to bottom, predicted classes left to right, colour = penalty in [0, 1]; hover shows the penalty
    /// and the co-occurrence count it comes from (clips on which raters chose both / clips on which they chose the predicted one).
    /// </summary>
    public static GenericChart Heatmap(PenaltyMatrix matrix, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var k = matrix.Classes.Count;
        var text = Enumerable.Range(0, k).Select(t => Enumerable.Range(0, k).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{matrix.Penalty[t][p]:0.00} ({matrix.Cooccurrences[t][p]}/{matrix.Cooccurrences[p][p]})")).ToArray()).ToArray();
        var trace = PlotlyObjects.Heatmap("penalty", matrix.Classes, matrix.Classes, matrix.Penalty.Select(r => r.ToArray()).ToArray(), text, "Reds");
        trace.SetProperty("zmin", 0.0);
        trace.SetProperty("zmax", 1.0);
        return PlotlyObjects.Chart([trace], PlotlyObjects.Layout(
            title ?? $"Penalty matrix P = 1 − P(target chosen | predicted chosen), from {matrix.Clips} clips' rater votes",
            PlotlyObjects.Axis("predicted", ("side", "bottom")),
            PlotlyObjects.Axis("target", ("autorange", "reversed"))));
    }
}
