using Newtonsoft.Json.Linq;
using Plotly.NET;
using SerNotebooks.Charts;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Tests.Pretext.StandIn;

namespace SerNotebooks.Tests.Pretext;

public class PretextChartsTests
{
    private static JArray Traces(GenericChart chart) => (JArray)JObject.Parse(GenericChart.toFigureJson(chart))["data"]!;

    [Fact]
    public void EnergyContourDrawsEveryLabelledChunkAndTheFittedThreshold()
    {
        var task = new EnergyVariationTask();
        var steady = PretextTestClips.Clip("steady", "a", PretextTestClips.ConstantTone(3));
        var lively = PretextTestClips.Clip("lively", "a", PretextTestClips.ModulatedTone(3));
        var labeller = (EnergyVariationLabeller)task.Fit([task.Measure(steady), task.Measure(lively)]);

        var traces = Traces(EnergyVariationCharts.EnergyContour(lively, task, labeller));

        var chunkSegments = traces.Where(t => ((string?)t["name"])?.EndsWith("chunk", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(11, chunkSegments.Count);
        Assert.All(chunkSegments, t => Assert.Equal("high chunk", (string?)t["name"]));
        var threshold = Assert.Single(traces, t => ((string?)t["name"])?.StartsWith("threshold", StringComparison.Ordinal) == true);
        Assert.All(threshold["y"]!.Values<double>(), y => Assert.Equal(labeller.Threshold, y, 9));
        var energy = Assert.Single(traces, t => (string?)t["name"] == "log-energy (dB)");
        Assert.Equal(lively.Features.Frames, energy["y"]!.Count());
    }

    [Fact]
    public void EveryTaskOfTheLibraryDrawsAClipChartAndRefusesAnotherTasksLabeller()
    {
        var registry = PretextTaskRegistry.CreateDefault();
        Assert.All(registry.PretextTasks, task => Assert.IsAssignableFrom<IPretextTaskClipChart>(task));
        var task = new EnergyVariationTask();
        var clip = PretextTestClips.Clip("lively", "a", PretextTestClips.ModulatedTone(3));
        var labeller = task.Fit([task.Measure(clip)]);

        var chart = task.ClipChart(clip, labeller);

        Assert.Equal("energy-contour", chart.Name);
        Assert.Equal(Traces(EnergyVariationCharts.EnergyContour(clip, task, (EnergyVariationLabeller)labeller)).ToString(), Traces(chart.Chart).ToString());
        var error = Assert.Throws<ArgumentException>(() => task.ClipChart(clip, new ChunkVoicingLabeller(new ChunkVoicingState(0.5, 1))));
        Assert.Contains(nameof(EnergyVariationLabeller), error.Message);
    }

    [Fact]
    public void ActivationCurveColoursChunksByThresholdAndRejectsMismatchedArrays()
    {
        double[] times = [0.0, 0.1, 0.2, 0.3];
        double[] values = [1, 3, 1, 3];
        ChunkSpan[] chunks = [new(0, 0.2), new(0.2, 0.4)];

        var traces = Traces(PretextCharts.ActivationCurve("clip", times, values, 1.5, chunks, [2.0, 1.0]));

        Assert.Equal(["high chunk", "low chunk"], traces.Select(t => (string?)t["name"]).Where(n => n?.EndsWith("chunk", StringComparison.Ordinal) == true && n != "chunk start"));
        Assert.Throws<ArgumentException>(() => PretextCharts.ActivationCurve("clip", times, [1.0, 2.0], 1.5));
        Assert.Throws<ArgumentException>(() => PretextCharts.ActivationCurve("clip", times, values, 1.5, chunks, [2.0]));
    }

    [Fact]
    public void AuHeatmapHasOneRowPerActionUnit()
    {
        double[] times = [0.0, 1 / 30.0, 2 / 30.0];
        string[] units = ["AU06", "AU12"];
        double[][] intensities = [[0, 1, 2], [3, 4, 5]];

        var trace = Assert.Single(Traces(PretextCharts.AuIntensityHeatmap("clip", times, units, intensities)));

        Assert.Equal("heatmap", (string?)trace["type"]);
        Assert.Equal(units, trace["y"]!.Values<string>());
        Assert.Equal(5.0, trace["z"]![1]![2]!.Value<double>());
        Assert.Throws<ArgumentException>(() => PretextCharts.AuIntensityHeatmap("clip", times, units, [[0, 1, 2]]));
    }
}
