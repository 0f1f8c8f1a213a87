using Plotly.NET;
using SerNotebooks.Faces;
using SerNotebooks.Pretext;
using Chart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace SerNotebooks.Charts;

/// <summary>A chunk's time span [Start, End) in seconds, for charts.</summary>
public readonly record struct ChunkSpan(double Start, double End);

/// <summary>Plotly charts of the pretext labels: what each task saw in one clip, and the label distributions.</summary>
public static class PretextCharts
{
    private static readonly Color LowColor = Color.fromHex("#4C78A8");
    private static readonly Color HighColor = Color.fromHex("#E45756");
    private static readonly Color ThresholdColor = Color.fromHex("#222222");
    private static readonly Color BoundaryColor = Color.fromHex("#BBBBBB");

    /// <summary>
    /// Task 1 for one clip. Top: frame log-energy (dB) over time, speech frames marked, chunk starts as vertical
    /// lines. Bottom: each chunk's energy standard deviation as a segment over the chunk's span, coloured by its
    /// label, and the fitted threshold (converted back to dB for this speaker under per-speaker normalisation).
    /// </summary>
    public static GenericChart EnergyContour(PretextClip clip, EnergyVariationTask task, EnergyVariationLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(labeller);
        var features = clip.Features;
        // Chunk 0 starts at frame 0, so its span gives the seconds per frame without needing the hop setting.
        var firstChunk = clip.Chunks.Chunks[0];
        var frameSeconds = firstChunk.EndSeconds / firstChunk.ValidFrames;
        var times = Enumerable.Range(0, features.Frames).Select(t => t * frameSeconds).ToArray();
        var energy = features.LogEnergyDb.Select(e => (double)e).ToArray();
        var speechTimes = times.Where((_, t) => features.SpeechMask[t]).ToArray();
        var speechEnergy = energy.Where((_, t) => features.SpeechMask[t]).ToArray();

        var measurement = task.Measure(clip);
        var labels = labeller.Label(measurement);
        var speakerThreshold = SignalCharts.ThresholdInDb(labeller, clip.Speaker);

        var spans = clip.Chunks.Chunks.Select(c => new ChunkSpan(c.StartSeconds, c.EndSeconds)).ToArray();
        var top = new List<GenericChart>
        {
            Chart.Line<double, double, string>(times, energy, Name: "log-energy (dB)", LineColor: Color.fromHex("#777777")),
            Chart.Point<double, double, string>(speechTimes, speechEnergy, Name: "speech frames", MarkerColor: LowColor),
        };
        var (minEnergy, maxEnergy) = (energy.Min(), energy.Max());
        top.AddRange(BoundaryLines(spans, minEnergy, maxEnergy));

        var bottom = new List<GenericChart>();
        var values = measurement.ChunkValues ?? [];
        for (var k = 0; k < values.Length; k++)
        {
            if (double.IsNaN(values[k]))
            {
                continue;
            }
            var label = labels.ChunkLabels?[k] ?? ClipTaskLabels.MissingLabel;
            var color = label == 1 ? HighColor : LowColor;
            bottom.Add(Chart.Line<double, double, string>([spans[k].Start, spans[k].End], [values[k], values[k]],
                Name: label == 1 ? "high chunk" : "low chunk", ShowLegend: false, LineColor: color, LineWidth: 4));
        }
        if (speakerThreshold is { } threshold)
        {
            var end = times.Length == 0 ? 0 : times[^1];
            bottom.Add(Chart.Line<double, double, string>([0, end], [threshold, threshold],
                Name: labeller.State.PerSpeakerNormalisation ? $"threshold (z = {labeller.Threshold:F2}, this speaker)" : $"threshold {threshold:F2} dB",
                LineColor: ThresholdColor, LineDash: StyleParam.DrawingStyle.Dash));
        }
        var upper = Chart.Combine(top).WithYAxisStyle<double, double, string>(TitleText: "log-energy (dB)");
        var lower = Chart.Combine(bottom.Count > 0 ? bottom : [Chart.Invisible()])
            .WithXAxisStyle<double, double, string>(TitleText: "time (s)")
            .WithYAxisStyle<double, double, string>(TitleText: "chunk energy std (dB)");
        return Chart.SingleStack([upper, lower])
            .Titled($"Energy variation — {clip.Id} ({CountLabels(labels, 1)} high / {CountLabels(labels, 0)} low chunks)")
            .WithSize(Width: 900, Height: 600);
    }

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

    /// <summary>
    /// Task 2 for one clip, from the face task's own analysis: the per-frame activation curve, its source's fitted
    /// threshold, and the chunk means the labels come from. Null when the clip has no usable face data.
    /// </summary>
    public static GenericChart? ActivationCurve(PretextClip clip, FacialActivationTask task, FacialActivationLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(labeller);
        var analysis = task.Analyse(clip);
        if (analysis.Curve is not { } curve)
        {
            return null;
        }
        var threshold = labeller.ThresholdFor(analysis.Source);
        if (double.IsNaN(threshold))
        {
            return null;
        }
        var spans = clip.Chunks.Chunks.Select(c => new ChunkSpan(c.StartSeconds, c.EndSeconds)).ToArray();
        return ActivationCurve($"{clip.Id} ({analysis.Source})", curve.Times, curve.Values, threshold, spans,
            curve.ChunkMeans(clip.Chunks, task.Options.MinFramesPerChunk));
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

    private static IEnumerable<GenericChart> BoundaryLines(IReadOnlyList<ChunkSpan> chunks, double low, double high)
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
    private static GenericChart Titled(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

    private static int CountLabels(ClipTaskLabels labels, int label) => labels.ChunkLabels?.Count(l => l == label) ?? 0;
}
