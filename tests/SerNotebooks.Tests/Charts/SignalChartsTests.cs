using SerNotebooks.Audio;
using SerNotebooks.Charts;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Tests.Pretext;

namespace SerNotebooks.Tests.Charts;

public class SignalChartsTests
{
    [Fact]
    public void SpectrogramPanelHoldsEveryMelBandAndFrameUnderTheWaveform()
    {
        var samples = PretextTestClips.ModulatedTone(1.5);
        var clip = PretextTestClips.Clip("tone", "a", samples);

        var chart = SignalCharts.WaveformAndSpectrogram("tone", new AudioSignal(samples, PretextTestClips.SampleRate), clip.Features);

        var waveform = ChartJson.Trace(chart, "waveform");
        Assert.Equal("y", (string?)waveform["yaxis"]);
        Assert.Equal(0.5, ChartJson.Numbers(waveform["y"]).Max(), 2);
        var heatmap = ChartJson.Trace(chart, "log-mel");
        Assert.Equal("y2", (string?)heatmap["yaxis"]);
        var z = heatmap["z"]!;
        Assert.Equal(clip.Features.LogMel.Bands, z.Count());
        Assert.All(z, band => Assert.Equal(clip.Features.Frames, band.Count()));
        Assert.Equal(Math.Round(clip.Features.LogMel[10, 5], 2), (double)z[5]![10]!, 6);
        // One time axis for both panels, drawn under the lower one.
        Assert.Equal("y2", (string?)ChartJson.Layout(chart)["xaxis"]!["anchor"]);
    }

    [Fact]
    public void EnergyVariationChartDrawsEachChunkOnItsLabelsSideOfTheThreshold()
    {
        var task = new EnergyVariationTask();
        var steady = PretextTestClips.Clip("steady", "a", PretextTestClips.ConstantTone(3));
        var samples = PretextTestClips.ModulatedTone(3);
        var lively = PretextTestClips.Clip("lively", "a", samples);
        var labeller = (EnergyVariationLabeller)task.Fit([task.Measure(steady), task.Measure(lively)]);

        var chart = EnergyVariationCharts.WaveformEnergyVariation(lively, new AudioSignal(samples, PretextTestClips.SampleRate), task, labeller);

        // Every chunk of the lively clip is above the median of both clips' chunks: 11 high segments, no low one.
        var high = ChartJson.Numbers(ChartJson.Trace(chart, "high chunk")["y"]);
        Assert.Equal(2 * 11, high.Length);
        Assert.All(high, v => Assert.True(v > labeller.Threshold));
        Assert.Empty(ChartJson.Numbers(ChartJson.Trace(chart, "low chunk")["y"]));
        var threshold = Assert.Single(ChartJson.Traces(chart), t => ((string?)t["name"])!.StartsWith("threshold", StringComparison.Ordinal));
        Assert.All(ChartJson.Numbers(threshold["y"]), y => Assert.Equal(labeller.Threshold, y, 9));
        Assert.Equal("y3", (string?)threshold["yaxis"]);
        Assert.Equal(lively.Features.Frames, ChartJson.Trace(chart, "log-energy (dB)")["y"]!.Count());
    }

    [Fact]
    public void PerSpeakerThresholdIsConvertedBackToThisSpeakersDecibels()
    {
        var task = new EnergyVariationTask(new EnergyVariationOptions { PerSpeakerNormalisation = true });
        var steady = PretextTestClips.Clip("steady", "a", PretextTestClips.ConstantTone(3));
        var lively = PretextTestClips.Clip("lively", "a", PretextTestClips.ModulatedTone(3));
        var labeller = (EnergyVariationLabeller)task.Fit([task.Measure(steady), task.Measure(lively)]);
        var speaker = labeller.State.Speakers["a"];

        Assert.Equal(speaker.Mean + labeller.Threshold * speaker.Std, EnergyVariationCharts.ThresholdInDb(labeller, "a")!.Value, 9);
        Assert.Null(EnergyVariationCharts.ThresholdInDb(labeller, "someone else"));
    }
}
