using Plotly.NET;
using Plotly.NET.CSharp;
using SerNotebooks.Audio;
using SerNotebooks.Charts;
using SerNotebooks.Features;
using Chart = Plotly.NET.CSharp.Chart;

namespace SerNotebooks.Pretext.Tasks.EnergyVariation;

/// <summary>Task 1 drawn for one clip: the chunks' energy statistic, their labels and the fitted threshold.</summary>
public static class EnergyVariationCharts
{
    private const string EnergyColor = "#777777";
    private const string SpeechColor = "#4C78A8";
    private const string LowColor = "#4C78A8";
    private const string HighColor = "#E45756";
    private const string ThresholdColor = "#222222";
    private const string BoundaryColor = "#BBBBBB";

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
        var speakerThreshold = ThresholdInDb(labeller, clip.Speaker);

        var spans = clip.Chunks.Chunks.Select(c => new ChunkSpan(c.StartSeconds, c.EndSeconds)).ToArray();
        var top = new List<GenericChart>
        {
            Chart.Line<double, double, string>(times, energy, Name: "log-energy (dB)", LineColor: Color.fromHex(EnergyColor)),
            Chart.Point<double, double, string>(speechTimes, speechEnergy, Name: "speech frames", MarkerColor: Color.fromHex(LowColor)),
        };
        var (minEnergy, maxEnergy) = (energy.Min(), energy.Max());
        top.AddRange(PretextCharts.BoundaryLines(spans, minEnergy, maxEnergy));

        var bottom = new List<GenericChart>();
        var values = measurement.ChunkValues ?? [];
        for (var k = 0; k < values.Length; k++)
        {
            if (double.IsNaN(values[k]))
            {
                continue;
            }
            var label = labels.ChunkLabels?[k] ?? ClipTaskLabels.MissingLabel;
            var color = label == 1 ? Color.fromHex(HighColor) : Color.fromHex(LowColor);
            bottom.Add(Chart.Line<double, double, string>([spans[k].Start, spans[k].End], [values[k], values[k]],
                Name: label == 1 ? "high chunk" : "low chunk", ShowLegend: false, LineColor: color, LineWidth: 4));
        }
        if (speakerThreshold is { } threshold)
        {
            var end = times.Length == 0 ? 0 : times[^1];
            bottom.Add(Chart.Line<double, double, string>([0, end], [threshold, threshold],
                Name: labeller.State.PerSpeakerNormalisation ? $"threshold (z = {labeller.Threshold:F2}, this speaker)" : $"threshold {threshold:F2} dB",
                LineColor: Color.fromHex(ThresholdColor), LineDash: StyleParam.DrawingStyle.Dash));
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
    /// Task 1 for one clip, top to bottom on one time axis: the waveform; frame log-energy (dB) with the speech
    /// frames that count and the chunk starts; each chunk's energy standard deviation as a segment over its span,
    /// coloured by its label, against the fitted threshold (converted back to dB for this speaker under per-speaker
    /// normalisation).
    /// </summary>
    public static GenericChart WaveformEnergyVariation(PretextClip clip, AudioSignal audio, EnergyVariationTask task, EnergyVariationLabeller labeller, LogMelConfig? logMel = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(labeller);
        var features = clip.Features;
        var frameSeconds = SignalCharts.FrameSeconds(features, logMel);
        var times = Enumerable.Range(0, features.Frames).Select(t => t * frameSeconds).ToArray();
        var energy = features.LogEnergyDb.Select(e => (double)e).ToArray();
        var speech = energy.Select((e, t) => features.SpeechMask[t] ? e : double.NaN).ToArray();

        var measurement = task.Measure(clip);
        var labels = labeller.Label(measurement);
        var values = measurement.ChunkValues ?? [];
        var chunks = clip.Chunks.Chunks;
        var traces = new List<Trace>
        {
            SignalCharts.Waveform(audio).OnPanel(0),
            PanelLayout.Scatter("log-energy (dB)", times, energy, "lines", EnergyColor, 1).OnPanel(1),
            PanelLayout.Scatter("speech frames", times, speech, "markers", SpeechColor).OnPanel(1),
        };
        var (low, high) = (energy.Min(), energy.Max());
        var starts = chunks.Select(c => c.StartSeconds).Distinct().ToArray();
        var boundary = PanelLayout.VerticalLines("chunk start", starts, low, high, BoundaryColor);
        traces.Add(boundary.OnPanel(1));

        IEnumerable<(double, double, double)> ChunksLabelled(int label) => Enumerable.Range(0, Math.Min(values.Length, chunks.Count))
            .Where(k => !double.IsNaN(values[k]) && (labels.ChunkLabels?[k] ?? ClipTaskLabels.MissingLabel) == label)
            .Select(k => (chunks[k].StartSeconds, chunks[k].EndSeconds, values[k]));
        traces.Add(PanelLayout.Segments("low chunk", ChunksLabelled(0), LowColor).OnPanel(2));
        traces.Add(PanelLayout.Segments("high chunk", ChunksLabelled(1), HighColor).OnPanel(2));
        if (ThresholdInDb(labeller, clip.Speaker) is { } threshold)
        {
            var end = times.Length == 0 ? 0 : times[^1];
            var name = labeller.State.PerSpeakerNormalisation
                ? $"threshold (z = {labeller.Threshold:F2}, this speaker: {threshold:F2} dB)"
                : $"threshold {threshold:F2} dB";
            traces.Add(PanelLayout.Scatter(name, [0, end], [threshold, threshold], "lines", ThresholdColor, 2, "dash").OnPanel(2));
        }
        var highCount = labels.ChunkLabels?.Count(l => l == 1) ?? 0;
        var lowCount = labels.ChunkLabels?.Count(l => l == 0) ?? 0;
        var layout = PanelLayout.Create($"Energy variation — {clip.Id} ({highCount} high / {lowCount} low chunks)", "time (s)",
            ["amplitude", "log-energy (dB)", "chunk energy std (dB)"], 900, 750, [0.8, 1, 1]);
        return PlotlyObjects.Chart(traces, layout);
    }

    /// <summary>The fitted threshold in dB for <paramref name="speaker"/>; null when per-speaker statistics are missing for it.</summary>
    public static double? ThresholdInDb(EnergyVariationLabeller labeller, string speaker)
    {
        ArgumentNullException.ThrowIfNull(labeller);
        if (!labeller.State.PerSpeakerNormalisation)
        {
            return labeller.Threshold;
        }
        return labeller.State.Speakers.TryGetValue(speaker, out var s) ? s.Mean + labeller.Threshold * s.Std : null;
    }

    private static int CountLabels(ClipTaskLabels labels, int label) => labels.ChunkLabels?.Count(l => l == label) ?? 0;
}
