using Plotly.NET;
using SerNotebooks.Audio;
using SerNotebooks.Features;
using SerNotebooks.Pretext;

namespace SerNotebooks.Charts;

/// <summary>Charts of one clip's audio: the waveform, its log-mel spectrogram, and task 1 drawn over the waveform.</summary>
public static class SignalCharts
{
    private const string WaveColor = "#555555";
    private const string EnergyColor = "#777777";
    private const string SpeechColor = "#4C78A8";
    private const string LowColor = "#4C78A8";
    private const string HighColor = "#E45756";
    private const string ThresholdColor = "#222222";
    private const string BoundaryColor = "#BBBBBB";

    /// <summary>
    /// Top: the waveform (min/max envelope). Bottom: the log-mel spectrogram the encoder reads (mel band × frame,
    /// natural-log energy), on the same time axis.
    /// </summary>
    public static GenericChart WaveformAndSpectrogram(string clipId, AudioSignal audio, FeatureSet features, LogMelConfig? logMel = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(features);
        var frameSeconds = FrameSeconds(features, logMel);
        var bands = features.LogMel.Bands;
        var z = new double[bands][];
        for (var m = 0; m < bands; m++)
        {
            z[m] = new double[features.Frames];
            for (var t = 0; t < features.Frames; t++)
            {
                // Two decimals of ln energy are far below what a colour scale shows and halve the notebook's size.
                z[m][t] = Math.Round(features.LogMel[t, m], 2);
            }
        }
        var spectrogram = new Trace2D("heatmap");
        spectrogram.SetProperty("name", "log-mel");
        spectrogram.SetProperty("x", Enumerable.Range(0, features.Frames).Select(t => t * frameSeconds).ToArray());
        spectrogram.SetProperty("y", Enumerable.Range(0, bands).ToArray());
        spectrogram.SetProperty("z", z);
        spectrogram.SetProperty("colorscale", "Viridis");
        var colorBar = new DynamicObj.DynamicObj();
        colorBar.SetProperty("title", PlotlyObjects.Title("ln energy"));
        colorBar.SetProperty("len", 0.45);
        colorBar.SetProperty("y", 0.22);
        spectrogram.SetProperty("colorbar", colorBar);
        spectrogram.OnPanel(1);

        var layout = PanelLayout.Create($"Waveform and log-mel spectrogram — {clipId}", "time (s)", ["amplitude", "mel band"], 900, 600);
        return PlotlyObjects.Chart([Waveform(audio).OnPanel(0), spectrogram], layout);
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
        var frameSeconds = FrameSeconds(features, logMel);
        var times = Enumerable.Range(0, features.Frames).Select(t => t * frameSeconds).ToArray();
        var energy = features.LogEnergyDb.Select(e => (double)e).ToArray();
        var speech = energy.Select((e, t) => features.SpeechMask[t] ? e : double.NaN).ToArray();

        var measurement = task.Measure(clip);
        var labels = labeller.Label(measurement);
        var values = measurement.ChunkValues ?? [];
        var chunks = clip.Chunks.Chunks;
        var traces = new List<Trace>
        {
            Waveform(audio).OnPanel(0),
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

    /// <summary>The waveform as vertical min–max strokes, one per bucket (<see cref="WaveformEnvelope"/>).</summary>
    private static Trace2D Waveform(AudioSignal audio)
    {
        var envelope = WaveformEnvelope.Of(audio.Samples, audio.SampleRate);
        var xs = new double?[envelope.Times.Length * 3];
        var ys = new double?[envelope.Times.Length * 3];
        for (var b = 0; b < envelope.Times.Length; b++)
        {
            xs[3 * b] = xs[3 * b + 1] = envelope.Times[b];
            ys[3 * b] = envelope.Minimum[b];
            ys[3 * b + 1] = envelope.Maximum[b];
        }
        return PanelLayout.Path("waveform", xs, ys, WaveColor, 1);
    }

    private static double FrameSeconds(FeatureSet features, LogMelConfig? logMel) =>
        (logMel ?? new LogMelConfig()).HopLength / (double)features.SampleRate;
}
