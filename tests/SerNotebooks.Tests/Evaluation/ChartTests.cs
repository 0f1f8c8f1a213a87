using Plotly.NET;
using SerNotebooks.Charts;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class ChartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-charts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AblationSummary Summary() => AblationSummary.Compute(AblationSummaryTests.ThreeConfigurationsThreeSeeds(), "baseline");

    private static Trace[] Traces(GenericChart chart) => GenericChart.getTraces(chart).ToArray();

    private static T Property<T>(DynamicObj.DynamicObj obj, string name) =>
        obj.TryGetPropertyValue(name) is { } value ? (T)value.Value : throw new Xunit.Sdk.XunitException($"property '{name}' is not set");

    private static double[] ErrorArray(Trace trace) => Property<double[]>(Property<DynamicObj.DynamicObj>(trace, "error_y"), "array");

    [Fact]
    public void MacroScoresHasOneTracePerMetricWithStdErrorBars()
    {
        var chart = EvaluationCharts.MacroScores(Summary());

        var traces = Traces(chart);
        Assert.Equal(["macro precision", "macro recall", "macro F1"], traces.Select(t => Property<string>(t, "name")));
        Assert.All(traces, t => Assert.Equal("bar", t.type));
        Assert.Equal(["baseline", "energy", "energy+face"], Property<string[]>(traces[0], "x"));
        Assert.Equal(0.61, Property<double?[]>(traces[0], "y")[1]!.Value, 12);
        Assert.Equal(0.03, ErrorArray(traces[0])[1], 12);
        Assert.Equal("group", Property<string>(GenericChart.getLayout(chart), "barmode"));
    }

    [Fact]
    public void DeltaVersusBaselineLeavesOutTheBaselineAndShowsPercentagePoints()
    {
        var traces = Traces(EvaluationCharts.DeltaVersusBaseline(Summary()));

        Assert.Equal(3, traces.Length);
        Assert.Equal(["energy", "energy+face"], Property<string[]>(traces[0], "x"));
        Assert.Equal(100 * 0.11 / 3, Property<double?[]>(traces[0], "y")[0]!.Value, 10);
        Assert.Equal(0.0, Property<double?[]>(traces[0], "y")[1]!.Value, 12);
        Assert.Contains("Wilcoxon p = 0.2500 (Holm 0.5000)", Property<string[]>(traces[0], "hovertext")[0]);
        Assert.Contains("3 pairs (seed)", Property<string[]>(traces[0], "hovertext")[0]);

        var relative = Traces(EvaluationCharts.DeltaVersusBaseline(Summary(), relative: true));
        Assert.Equal(100 * 0.11 / 1.72, Property<double?[]>(relative[0], "y")[0]!.Value, 10);
    }

    [Fact]
    public void ConfusionHeatmapCountsAndRowNormalised()
    {
        var confusion = ConfusionMatrix.Build([0, 0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 0, 1], ["a", "b", "c"]);

        var counts = Traces(EvaluationCharts.ConfusionMatrixHeatmap(confusion)).Single();
        var shares = Traces(EvaluationCharts.ConfusionMatrixHeatmap(confusion, rowNormalised: true)).Single();

        Assert.Equal("heatmap", counts.type);
        Assert.Equal([2.0, 1, 0], Property<double[][]>(counts, "z")[0]);
        Assert.Equal(["a", "b", "c"], Property<string[]>(counts, "x"));
        Assert.Equal("1", Property<string[][]>(counts, "text")[1][2]);
        Assert.Equal([0.5, 0.5, 0], Property<double[][]>(shares, "z")[2]);
        Assert.Equal("50% (1)", Property<string[][]>(shares, "text")[1][1]);
    }

    [Fact]
    public void TrainingCurvesPutMetricsOnASecondAxis()
    {
        var history = new TrainingHistory([1, 2, 3], new Dictionary<string, IReadOnlyList<double>>
        {
            ["train_loss"] = [1.2, 0.9, 0.7],
            ["dev_loss"] = [1.3, 1.0, double.NaN],
            ["dev_macro_f1"] = [0.3, 0.4, 0.45],
            ["seconds"] = [12.5, 11.9, 12.1],
        });

        var chart = EvaluationCharts.TrainingCurves(history);

        var traces = Traces(chart);
        Assert.Equal(["train_loss", "dev_loss", "dev_macro_f1"], traces.Select(t => Property<string>(t, "name")));
        Assert.Equal(["y", "y", "y2"], traces.Select(t => Property<string>(t, "yaxis")));
        Assert.Null(Property<double?[]>(traces[1], "y")[2]);
        Assert.Equal([1, 2, 3], Property<int[]>(traces[0], "x"));
        Assert.NotNull(GenericChart.getLayout(chart).TryGetPropertyValue("yaxis2"));

        Assert.Equal(["dev_macro_f1"], Traces(EvaluationCharts.TrainingCurves(history, ["dev_macro_f1"])).Select(t => Property<string>(t, "name")));
        Assert.Throws<ArgumentException>(() => EvaluationCharts.TrainingCurves(history, ["dev_f1"]));

        var perRun = Traces(EvaluationCharts.TrainingCurves(new Dictionary<string, TrainingHistory> { ["baseline"] = history, ["energy"] = history }, "dev_macro_f1"));
        Assert.Equal(["baseline", "energy"], perRun.Select(t => Property<string>(t, "name")));
        Assert.Throws<ArgumentException>(() => EvaluationCharts.TrainingCurves(new Dictionary<string, TrainingHistory> { ["baseline"] = history }, "accuracy"));
    }

    [Fact]
    public void PerClassF1HasOneTracePerConfiguration()
    {
        var traces = Traces(EvaluationCharts.PerClassF1(Summary()));

        Assert.Equal(["baseline", "energy", "energy+face"], traces.Select(t => Property<string>(t, "name")));
        Assert.Equal(["anger", "sadness"], Property<string[]>(traces[1], "x"));
        Assert.Equal(0.60, Property<double?[]>(traces[1], "y")[0]!.Value, 12);
        Assert.Equal(0.02, ErrorArray(traces[1])[0], 12);
    }

    [Fact]
    public void PerClassScoresMarksNeverPredictedClass()
    {
        var report = ClassificationReport.Compute([0, 1, 2], [0, 0, 1], ["a", "b", "c"]);

        var traces = Traces(EvaluationCharts.PerClassScores(report));

        Assert.Equal(["precision", "recall", "F1"], traces.Select(t => Property<string>(t, "name")));
        Assert.Contains("never predicted", Property<string[]>(traces[0], "hovertext")[2]);
    }

    [Fact]
    public void SavedHtmlIsSelfContainedDeterministicAndCarriesTheData()
    {
        var chart = EvaluationCharts.MacroScores(Summary());
        var path = Path.Combine(_directory, "macro.html");

        ChartFile.SaveSelfContained(chart, path);
        var html = File.ReadAllText(path);

        Assert.Null(ChartFile.ExternalScriptSource(html));
        Assert.DoesNotContain("cdn.plot.ly/plotly", html);
        Assert.Contains("plotly.js v2.28.0", html);
        Assert.Contains("\"name\":\"macro F1\"", html);
        Assert.Contains("\"x\":[\"baseline\",\"energy\",\"energy+face\"]", html);
        Assert.Contains("<title>macro</title>", html);
        // Titles use "±": the UTF-8 declaration must come within the first 1024 bytes for browsers to apply it.
        Assert.Contains("<meta charset=\"utf-8\">", html[..1024]);
        Assert.Contains("mean ± std", html);
        ChartFile.SaveSelfContained(chart, Path.Combine(_directory, "macro-again.html"), "macro");
        Assert.Equal(html, File.ReadAllText(Path.Combine(_directory, "macro-again.html")));
    }

    [Fact]
    public void ExternalScriptSourceDetectsCdnReferences()
    {
        Assert.Equal("https://cdn.plot.ly/plotly-2.28.0.min.js",
            ChartFile.ExternalScriptSource("<html><script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script></html>"));
        Assert.Null(ChartFile.ExternalScriptSource("<script type=\"text/javascript\">var a = 1;</script>"));
    }
}
