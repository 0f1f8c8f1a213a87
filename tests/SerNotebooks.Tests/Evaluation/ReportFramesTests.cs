using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public class ReportFramesTests
{
    [Fact]
    public void ClassificationTableHasClassRowsThenAverages()
    {
        var report = ClassificationReport.Compute([0, 0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 0, 1], ["a", "b", "c"]);

        var table = ReportFrames.ClassificationTable(report);

        Assert.Equal(["a", "b", "c", "macro avg", "weighted avg"], table.RowKeys);
        Assert.Equal(report.Macro.F1, table.GetColumn<double>("f1").Get("macro avg"));
        Assert.Equal(0.0, table.GetColumn<double>("precision").Get("c"));
        Assert.Equal(2L, table.GetColumn<long>("support").Get("c"));
        Assert.Equal(7L, table.GetColumn<long>("support").Get("macro avg"));
    }

    [Fact]
    public void ConfusionTableIsIndexedTrueByPredicted()
    {
        var confusion = ConfusionMatrix.Build([0, 0, 1], [1, 1, 1], ["a", "b"]);

        var table = ReportFrames.ConfusionTable(confusion);

        Assert.Equal(2L, table.GetColumn<long>("b").Get("a"));
        Assert.Equal(0L, table.GetColumn<long>("a").Get("a"));
    }

    [Fact]
    public void AblationTableFormatsMeanStdAndPValues()
    {
        var summary = AblationSummary.Compute(AblationSummaryTests.ThreeConfigurationsThreeSeeds(), "baseline");

        var table = ReportFrames.AblationTable(summary);

        Assert.Equal("0.610 ± 0.030", table.GetColumn<string>("macro_precision").Get("energy"));
        Assert.Equal("—", table.GetColumn<string>("macro_precision t-test p").Get("baseline"));
        Assert.Equal("0.128", table.GetColumn<string>("macro_precision t-test p").Get("energy"));
        Assert.Equal("0.250", table.GetColumn<string>("macro_precision Wilcoxon p").Get("energy"));
        Assert.Equal("+6.4", table.GetColumn<string>("macro_precision Δ%").Get("energy"));
        Assert.Equal("3 seeds", table.GetColumn<string>(ReportFrames.PairsColumn).Get("energy"));
        Assert.Equal("—", table.GetColumn<string>(ReportFrames.PairsColumn).Get("baseline"));
        // Two configurations compared: Holm doubles the smaller p (0.25 → 0.5) and leaves the larger (1) at 1.
        Assert.Equal("0.500", table.GetColumn<string>("macro_precision Wilcoxon p (Holm)").Get("energy"));
        Assert.Equal("1.000", table.GetColumn<string>("macro_precision Wilcoxon p (Holm)").Get("energy+face"));
        Assert.Equal("—", table.GetColumn<string>("macro_precision t-test p (Holm)").Get("baseline"));
        Assert.DoesNotContain(ReportFrames.IntervalColumn(MetricNames.MacroF1), table.ColumnKeys);
    }

    [Fact]
    public void AblationTableShowsTheSpeakerIntervalAfterMacroF1AndFoldAveragedPairs()
    {
        var runs = AblationSummaryTests.ThreeConfigurationsThreeSeeds().Select(r => r with { Fold = "1" })
            .Concat(AblationSummaryTests.ThreeConfigurationsThreeSeeds().Select(r => r with { Fold = "2" })).ToArray();
        var predictions = runs.Select(r => SpeakerBootstrapTests.Predictions(r.Configuration, r.Seed, [$"{r.Fold}a", $"{r.Fold}b"], (_, c, repetition) => repetition == 0 ? (c + 1) % 3 : c, fold: r.Fold));
        var summary = AblationSummary.Compute(runs, "baseline", predictions: predictions);

        var table = ReportFrames.AblationTable(summary);

        var columns = table.ColumnKeys.ToList();
        Assert.Equal(columns.IndexOf(MetricNames.MacroF1) + 1, columns.IndexOf("macro_f1 95% CI"));
        Assert.Equal(summary["energy"].MacroF1Interval!.Format(), table.GetColumn<string>("macro_f1 95% CI").Get("energy"));
        Assert.Equal("3 seeds (mean over 2 folds)", table.GetColumn<string>(ReportFrames.PairsColumn).Get("energy"));
    }
}
