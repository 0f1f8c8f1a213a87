using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class AblationSummaryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-results-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static RunMetrics Run(string configuration, int seed, double precision, double recall, double f1, double f1Anger = 0.5, string? fold = null) =>
        new(configuration, seed, fold, new Dictionary<string, double>
        {
            [MetricNames.MacroPrecision] = precision,
            [MetricNames.MacroRecall] = recall,
            [MetricNames.MacroF1] = f1,
            [MetricNames.Accuracy] = recall,
            [MetricNames.PerClassF1("anger")] = f1Anger,
            [MetricNames.PerClassF1("sadness")] = 1 - f1Anger,
        });

    internal static RunMetrics[] ThreeConfigurationsThreeSeeds() =>
    [
        Run("baseline", 1, 0.55, 0.50, 0.52, 0.40),
        Run("baseline", 2, 0.57, 0.54, 0.55, 0.45),
        Run("baseline", 3, 0.60, 0.52, 0.56, 0.50),
        Run("energy", 1, 0.61, 0.55, 0.58, 0.60),
        Run("energy", 2, 0.58, 0.56, 0.57, 0.62),
        Run("energy", 3, 0.64, 0.58, 0.61, 0.58),
        // Seeds deliberately listed out of order: pairing is by seed, not by position.
        Run("energy+face", 3, 0.60, 0.52, 0.56, 0.50),
        Run("energy+face", 1, 0.55, 0.50, 0.52, 0.40),
        Run("energy+face", 2, 0.57, 0.54, 0.55, 0.45),
    ];

    [Fact]
    public void MeanAndSampleStdPerConfiguration()
    {
        var summary = AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "baseline");

        Assert.Equal(["baseline", "energy", "energy+face"], summary.Configurations.Select(c => c.Configuration));
        var energy = summary["energy"];
        Assert.Equal(3, energy.Runs);
        Assert.Equal(0.61, energy[MetricNames.MacroPrecision].Mean, 12);
        Assert.Equal(0.03, energy[MetricNames.MacroPrecision].Std, 12);
        Assert.Equal(0.60, energy[MetricNames.PerClassF1("anger")].Mean, 12);
    }

    [Fact]
    public void PairsRunsBySeedAndTestsAgainstBaseline()
    {
        var summary = AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "baseline");

        Assert.Empty(summary["baseline"].VersusBaseline);
        var precision = summary["energy"].VersusBaseline[MetricNames.MacroPrecision];
        // Differences 0.06, 0.01, 0.04 → same numbers as PairedTTestWithThreeSeedsMatchesScipy.
        Assert.Equal(3, precision.Pairs);
        Assert.Equal(0.11 / 3, precision.MeanDifference, 12);
        Assert.Equal(100 * (0.11 / 3) / (1.72 / 3), precision.RelativeChangePercent, 10);
        Assert.Equal(0.25, precision.Wilcoxon.PValue);
        // The identical configuration listed in another order pairs to zero differences everywhere.
        var same = summary["energy+face"].VersusBaseline[MetricNames.MacroF1];
        Assert.Equal(0, same.MeanDifference);
        Assert.Equal(1.0, same.TTest.PValue);
        Assert.Equal(1.0, same.Wilcoxon.PValue);
    }

    [Fact]
    public void UnmatchedSeedsAreLeftOutOfThePairedTest()
    {
        var runs = ThreeConfigurationsThreeSeeds().Append(Run("energy", 4, 0.9, 0.9, 0.9)).ToArray();

        var summary = AblationSummary.Compute(runs, "baseline");

        Assert.Equal(4, summary["energy"].Runs);
        Assert.Equal(3, summary["energy"].VersusBaseline[MetricNames.MacroF1].Pairs);
    }

    [Fact]
    public void MissingBaselineAndDuplicateRunsAreErrors()
    {
        var noBaseline = Assert.Throws<ArgumentException>(() => AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "none"));
        Assert.Contains("'none'", noBaseline.Message);
        var duplicate = Assert.Throws<ArgumentException>(() =>
            AblationSummary.Compute(ThreeConfigurationsThreeSeeds().Append(Run("energy", 2, 0.1, 0.1, 0.1)), "baseline"));
        Assert.Contains("seed 2", duplicate.Message);
    }

    [Fact]
    public void RunsTableRoundTripsThroughCsv()
    {
        var runs = ThreeConfigurationsThreeSeeds();
        var path = Path.Combine(_directory, "runs.csv");

        ResultsTable.WriteCsv(ResultsTable.RunsFrame(runs), path);
        var frame = ResultsTable.ReadRunsCsv(path);
        var read = ResultsTable.RunsFromFrame(frame);

        Assert.StartsWith("configuration,seed,macro_precision,macro_recall,macro_f1,accuracy,f1_anger,f1_sadness", File.ReadLines(path).First());
        Assert.Equal(runs.Length, read.Count);
        for (var i = 0; i < runs.Length; i++)
        {
            Assert.Equal(runs[i].Configuration, read[i].Configuration);
            Assert.Equal(runs[i].Seed, read[i].Seed);
            Assert.Null(read[i].Fold);
            Assert.Equal(runs[i].Metrics.Keys.Order(), read[i].Metrics.Keys.Order());
            foreach (var (metric, value) in runs[i].Metrics)
            {
                Assert.Equal(value, read[i][metric], 12);
            }
        }
        var recomputed = AblationSummary.Compute(read, "baseline");
        Assert.Equal(AblationSummary.Compute(runs, "baseline")["energy"].VersusBaseline[MetricNames.MacroF1].TTest.PValue,
            recomputed["energy"].VersusBaseline[MetricNames.MacroF1].TTest.PValue, 10);
    }

    [Fact]
    public void FoldsAndNumericLookingNamesStayStrings()
    {
        RunMetrics[] runs = [Run("7", 1, 0.5, 0.5, 0.5, fold: "1"), Run("baseline", 1, 0.4, 0.4, 0.4, fold: "1"), Run("7", 1, 0.6, 0.6, 0.6, fold: "2")];
        var path = Path.Combine(_directory, "folds.csv");

        ResultsTable.WriteCsv(ResultsTable.RunsFrame(runs), path);
        var read = ResultsTable.RunsFromFrame(ResultsTable.ReadRunsCsv(path));

        Assert.Equal(["7", "baseline", "7"], read.Select(r => r.Configuration));
        Assert.Equal(["1", "1", "2"], read.Select(r => r.Fold));
    }

    [Fact]
    public void SummaryTableRoundTripsThroughCsvKeyedByConfiguration()
    {
        var summary = AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "baseline");
        var path = Path.Combine(_directory, "summary.csv");

        ResultsTable.WriteCsv(ResultsTable.SummaryFrame(summary), path, ResultsTable.ConfigurationColumn);
        var frame = ResultsTable.ReadSummaryCsv(path);

        Assert.Equal(["baseline", "energy", "energy+face"], frame.RowKeys);
        Assert.Equal(0.61, frame.GetColumn<double>("macro_precision_mean").Get("energy"), 12);
        Assert.Equal(0.03, frame.GetColumn<double>("macro_precision_std").Get("energy"), 12);
        Assert.Equal(summary["energy"].VersusBaseline[MetricNames.MacroF1].TTest.PValue, frame.GetColumn<double>("macro_f1_t_p").Get("energy"), 12);
        Assert.Equal(0.25, frame.GetColumn<double>("macro_f1_wilcoxon_p").Get("energy"));
        // The baseline has no comparison with itself: missing, written as an empty field.
        Assert.False(frame.GetColumn<double>("macro_f1_t_p").TryGet("baseline").HasValue);
        Assert.Equal(3, frame.GetColumn<int>("runs").Get("baseline"));
    }

    [Fact]
    public void RunMetricsFromReportCarriesHeadlineAndPerClassF1()
    {
        var report = ClassificationReport.Compute([0, 1, 1], [0, 0, 1], ["anger", "sadness"]);

        var run = RunMetrics.FromReport("baseline", 7, report);

        Assert.Equal(report.Macro.F1, run[MetricNames.MacroF1]);
        Assert.Equal(report.Accuracy, run[MetricNames.Accuracy]);
        Assert.Equal(report["sadness"].F1, run["f1_sadness"]);
        Assert.Equal(7, run.Seed);
    }
}
