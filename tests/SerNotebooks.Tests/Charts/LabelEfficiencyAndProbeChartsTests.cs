using SerNotebooks.Charts;
using SerNotebooks.Evaluation;
using SerNotebooks.Tests.Evaluation;

namespace SerNotebooks.Tests.Charts;

public class LabelEfficiencyAndProbeChartsTests
{
    // Two configurations, two seeds, at one fraction: macro-F1 = f1 + seed offset, so mean and std are known.
    private static AblationSummary Summary(double baselineF1, double pretrainedF1) => AblationSummary.Compute(
        [
            AblationSummaryTests.Run("baseline", 1, 0.5, 0.5, baselineF1 - 0.01),
            AblationSummaryTests.Run("baseline", 2, 0.5, 0.5, baselineF1 + 0.01),
            AblationSummaryTests.Run("au-emotion", 1, 0.5, 0.5, pretrainedF1 - 0.01),
            AblationSummaryTests.Run("au-emotion", 2, 0.5, 0.5, pretrainedF1 + 0.01),
        ],
        "baseline");

    [Fact]
    public void TheCurveHasOneLinePerConfigurationOverCategoricalFractionsWithStdErrorBars()
    {
        var chart = LabelEfficiencyChart.Create([(1.0, Summary(0.4, 0.45)), (0.1, Summary(0.2, 0.3))]);

        Assert.Equal(2, ChartJson.Traces(chart).Count);
        var pretrained = ChartJson.Trace(chart, "au-emotion");
        Assert.Equal(["10 %", "100 %"], pretrained["x"]!.Select(v => (string)v!));
        Assert.Equal([0.3, 0.45], ChartJson.Numbers(pretrained["y"]).Select(v => Math.Round(v, 9)));
        Assert.All(ChartJson.Numbers(pretrained["error_y"]!["array"]), std => Assert.Equal(Math.Sqrt(2) * 0.01, std, 9));
        Assert.Equal("category", (string?)ChartJson.Layout(chart)["xaxis"]!["type"]);
        Assert.Throws<ArgumentException>(() => LabelEfficiencyChart.Create([]));
    }

    [Fact]
    public void FullAndProbeAreSideBySideBarsPerConfiguration()
    {
        var chart = ProbeComparisonChart.Create([("full", Summary(0.4, 0.45)), ("probe", Summary(0.17, 0.3))]);

        Assert.Equal(["full", "probe"], ChartJson.Traces(chart).Select(t => (string)t["name"]!));
        Assert.Equal([0.17, 0.3], ChartJson.Numbers(ChartJson.Trace(chart, "probe")["y"]).Select(v => Math.Round(v, 9)));
        Assert.Equal("group", (string?)ChartJson.Layout(chart)["barmode"]);
    }
}
