using Plotly.NET;
using SerNotebooks.Audio;
using SerNotebooks.Features;

namespace SerNotebooks.Charts;

/// <summary>Charts of one clip's audio: the waveform and its log-mel spectrogram (task 1 draws itself over the waveform: <c>EnergyVariationCharts</c>).</summary>
public static class SignalCharts
{
    private const string WaveColor = "#555555";

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

    /// <summary>The waveform as vertical min–max strokes, one per bucket (<see cref="WaveformEnvelope"/>).</summary>
    internal static Trace2D Waveform(AudioSignal audio)
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

    internal static double FrameSeconds(FeatureSet features, LogMelConfig? logMel) =>
        (logMel ?? new LogMelConfig()).HopLength / (double)features.SampleRate;
}
