using Plotly.NET;
using SerNotebooks.Faces;
using SerNotebooks.Pretext;
using Chart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace SerNotebooks.Charts;

/// <summary>A chunk's time span [Start, End) in seconds, for charts.</summary>
public readonly record struct ChunkSpan(double Start, double End);

/// <summary>
/// Plotly charts of the pretext labels: face data of one clip and the label distributions. Each task draws its own
/// per-clip chart in its folder (<see cref="IPretextTaskClipChart"/>), with the helpers here.
/// </summary>
public static class PretextCharts
{
    private static readonly Color LowColor = Color.fromHex("#4C78A8");
    private static readonly Color HighColor = Color.fromHex("#E45756");
    private static readonly Color ThresholdColor = Color.fromHex("#222222");
    private static readonly Color BoundaryColor = Color.fromHex("#BBBBBB");

    /// <summary>
    /// Facial activation for one clip: per-frame activation (any unit) over time, the fitted threshold, chunk
    /// starts as vertical lines and, when given, each chunk's mean activation as a segment over its span.
    /// </summary>
    public static GenericChart ActivationCurve(
        string clipId,
        IReadOnlyList<double> times,
        IReadOnlyList<double> activation,
        double threshold,
        IReadOnlyList<ChunkSpan>? chunks = null,
        IReadOnlyList<double>? chunkValues = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(activation);
        if (times.Count != activation.Count)
        {
            throw new ArgumentException($"activation has {activation.Count} values for {times.Count} times");
        }
        if (chunkValues is not null && (chunks is null || chunks.Count != chunkValues.Count))
        {
            throw new ArgumentException("chunk values need one chunk span each");
        }
        var finite = activation.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var charts = new List<GenericChart>
        {
            Chart.Line<double, double, string>(times, activation, Name: "activation per frame", LineColor: Color.fromHex("#777777")),
        };
        if (chunks is not null)
        {
            charts.AddRange(BoundaryLines(chunks, Math.Min(finite.Min(), threshold), Math.Max(finite.Max(), threshold)));
        }
        if (chunkValues is not null)
        {
            for (var k = 0; k < chunkValues.Count; k++)
            {
                if (!double.IsFinite(chunkValues[k]))
                {
                    continue;
                }
                var high = chunkValues[k] > threshold;
                charts.Add(Chart.Line<double, double, string>([chunks![k].Start, chunks[k].End], [chunkValues[k], chunkValues[k]],
                    Name: high ? "high chunk" : "low chunk", ShowLegend: false, LineColor: high ? HighColor : LowColor, LineWidth: 4));
            }
        }
        var end = times.Count == 0 ? 1 : times[^1];
        var start = times.Count == 0 ? 0 : times[0];
        charts.Add(Chart.Line<double, double, string>([start, end], [threshold, threshold],
            Name: $"threshold {threshold:G3}", LineColor: ThresholdColor, LineDash: StyleParam.DrawingStyle.Dash));
        return Chart.Combine(charts)
            .Titled($"Facial activation — {clipId}")
            .WithXAxisStyle<double, double, string>(TitleText: "time (s)")
            .WithYAxisStyle<double, double, string>(TitleText: "activation")
            .WithSize(Width: 900, Height: 400);
    }

    /// <summary>AU intensities of one clip over time, from the face helper's <see cref="AuIntensityMatrix"/>.</summary>
    public static GenericChart AuIntensityHeatmap(string clipId, AuIntensityMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return AuIntensityHeatmap(clipId, matrix.Times, matrix.ActionUnits, matrix.ByActionUnit());
    }

    /// <summary>AU intensities over time: <paramref name="intensities"/>[au][frame], one row per AU name.</summary>
    public static GenericChart AuIntensityHeatmap(
        string clipId,
        IReadOnlyList<double> times,
        IReadOnlyList<string> auNames,
        IReadOnlyList<IReadOnlyList<double>> intensities)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(auNames);
        ArgumentNullException.ThrowIfNull(intensities);
        if (intensities.Count != auNames.Count)
        {
            throw new ArgumentException($"{intensities.Count} intensity rows for {auNames.Count} AU names");
        }
        for (var i = 0; i < intensities.Count; i++)
        {
            if (intensities[i].Count != times.Count)
            {
                throw new ArgumentException($"AU '{auNames[i]}' has {intensities[i].Count} values for {times.Count} times");
            }
        }
        return Chart.Heatmap<double, double, string, string>(
                zData: intensities.Select(row => (IEnumerable<double>)row).ToArray(),
                X: times.ToArray(),
                Y: auNames.ToArray(),
                Name: "AU intensity",
                ColorScale: StyleParam.Colorscale.Viridis)
            .Titled($"AU intensity — {clipId}")
            .WithXAxisStyle<double, double, string>(TitleText: "time (s)")
            .WithYAxisStyle<double, double, string>(TitleText: "action unit")
            .WithSize(Width: 900, Height: 450);
    }

    /// <summary>Share of each class per task (chunks for chunk tasks, clips for utterance tasks), one bar group per task.</summary>
    public static GenericChart LabelDistribution(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = LabelReport.DistributionRows(result);
        var charts = result.TaskNames.Select(task =>
        {
            var taskRows = rows.Where(r => r.Task == task).ToArray();
            return Chart.Column<double, string, string>(
                taskRows.Select(r => double.IsNaN(r.Share) ? 0 : r.Share).ToArray(),
                Keys: taskRows.Select(r => $"{task}: {r.Class}").ToArray(),
                Name: task,
                MultiText: taskRows.Select(r => $"{r.Count} {r.Unit}s").ToArray());
        }).ToList();
        return Chart.Combine(charts.Count > 0 ? charts : [Chart.Invisible()])
            .Titled("Pretext label distribution")
            .WithYAxisStyle<double, double, string>(TitleText: "share of labelled units")
            .WithSize(Width: 900, Height: 450);
    }

    /// <summary>
    /// Information gained over the label prior per pretext task (nats, mean over seeds), one bar group per kind of run
    /// (the task alone, the largest combination): a bar at or below zero is a task pre-training did not learn.
    /// </summary>
    public static GenericChart InformationGain(IReadOnlyList<SerNotebooks.Training.PretextGainRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var charts = rows.GroupBy(r => r.Runs).Select(g => Chart.Column<double, string, string>(
            g.Select(r => double.IsNaN(r.InformationGain) ? 0 : r.InformationGain).ToArray(),
            Keys: g.Select(r => r.Task).ToArray(),
            Name: g.Key,
            MultiText: g.Select(r => $"dev CE {r.DevCrossEntropy:0.000} vs prior {r.PriorEntropy:0.000} nats").ToArray())).ToList();
        return Chart.Combine(charts.Count > 0 ? charts : [Chart.Invisible()])
            .Titled("Pre-training: information gained over the label prior (pretext dev speakers)")
            .WithYAxisStyle<double, double, string>(TitleText: "prior entropy − dev cross-entropy (nats)")
            .WithSize(Width: 900, Height: 450);
    }

    internal static IEnumerable<GenericChart> BoundaryLines(IReadOnlyList<ChunkSpan> chunks, double low, double high)
    {
        var first = true;
        foreach (var start in chunks.Select(c => c.Start).Distinct())
        {
            yield return Chart.Line<double, double, string>([start, start], [low, high],
                Name: "chunk start", ShowLegend: first, LineColor: BoundaryColor, LineDash: StyleParam.DrawingStyle.Dot);
            first = false;
        }
    }

    // Plotly.NET.CSharp 0.14 has no title extension; the F# API's withTitle returns a chart transformer.
    internal static GenericChart Titled(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
}
