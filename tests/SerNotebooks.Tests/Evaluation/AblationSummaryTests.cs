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

    /// <summary>
    /// 3 seeds × 4 folds, the configuration better than the baseline by a fold-specific amount that is the same for
    /// every seed, plus an effect of the seed's pre-trained encoder shared by its 4 folds, plus a little noise.
    /// </summary>
    private static RunMetrics[] ThreeSeedsFourFoldsSharingEachSeedsEncoder()
    {
        double[] foldGain = [0.03, 0.04, 0.02, 0.035];
        double[] encoderEffect = [0.03, -0.025, 0.02];
        double[,] noise = { { 0.002, -0.001, 0.001, 0.0 }, { -0.002, 0.001, 0.0, 0.001 }, { 0.001, 0.0, -0.001, 0.002 } };
        var runs = new List<RunMetrics>();
        for (var seed = 1; seed <= 3; seed++)
        {
            for (var fold = 1; fold <= 4; fold++)
            {
                var baseline = 0.40 + 0.05 * fold + 0.01 * seed;
                var configuration = baseline + foldGain[fold - 1] + encoderEffect[seed - 1] + noise[seed - 1, fold - 1];
                var name = fold.ToString(System.Globalization.CultureInfo.InvariantCulture);
                runs.Add(Run("baseline", seed, baseline, baseline, baseline, fold: name));
                runs.Add(Run("energy", seed, configuration, configuration, configuration, fold: name));
            }
        }
        return runs.ToArray();
    }

    [Fact]
    public void FoldsOfASeedAreAveragedBeforePairingSoThereIsOnePairPerPreTrainedEncoder()
    {
        var summary = AblationSummary.Compute(ThreeSeedsFourFoldsSharingEachSeedsEncoder(), "baseline");

        var energy = summary["energy"];
        var comparison = energy.VersusBaseline[MetricNames.MacroF1];
        // Pairing by (seed, fold) would make 12 pairs of 3 encoders; the seed is the unit.
        Assert.Equal(3, comparison.Pairs);
        Assert.Equal(new SeedPairing(3, 4, 4), energy.Pairing);
        Assert.Equal("seed (mean over 4 folds)", energy.Pairing!.Unit);
        Assert.Equal(12, energy.Runs);
        Assert.Equal(12, energy[MetricNames.MacroF1].Count);
        // Expected values from scipy 1.10.1 on the per-seed means (computed by hand with Debian's python3-scipy, not a
        // dependency): configuration [0.59675, 0.55125, 0.60675], baseline [0.535, 0.545, 0.555];
        // ttest_rel → t = 2.33716938358129, p = 0.14443685333178055; wilcoxon(mode='exact') → p = 0.25.
        // (ttest_rel on the 12 (seed, fold) pairs gives p = 0.00028: the folds' shared encoder made it look certain.)
        Assert.Equal(2, comparison.TTest.DegreesOfFreedom);
        Assert.Equal(2.33716938358129, comparison.TTest.T, 9);
        Assert.Equal(0.14443685333178055, comparison.TTest.PValue, 10);
        Assert.Equal(0.25, comparison.Wilcoxon.PValue);
        Assert.Equal(0.03991666666666671, comparison.MeanDifference, 12);
        Assert.Equal(0.029581807472386413, comparison.StdDifference, 12);
        Assert.Equal(0.545, comparison.BaselineMean, 12);
        Assert.Equal(7.324159021406736, comparison.RelativeChangePercent, 9);
    }

    [Fact]
    public void AFoldRunByOnlyOneSideIsLeftOutOfItsSeedsPair()
    {
        // Seed 2 of the configuration has no fold 4: its pair averages folds 1–3 on both sides.
        var runs = ThreeSeedsFourFoldsSharingEachSeedsEncoder().Where(r => !(r.Configuration == "energy" && r.Seed == 2 && r.Fold == "4")).ToArray();

        var summary = AblationSummary.Compute(runs, "baseline");

        var energy = summary["energy"];
        Assert.Equal(new SeedPairing(3, 3, 4), energy.Pairing);
        Assert.Equal("seed (mean over 3–4 folds)", energy.Pairing!.Unit);
        var seedMeans = new[] { 1, 2, 3 }.Select(seed =>
        {
            var pairs = runs.Where(r => r.Configuration == "energy" && r.Seed == seed)
                .Select(r => (Run: r[MetricNames.MacroF1], Baseline: runs.Single(b => b.Configuration == "baseline" && b.PairKey == r.PairKey)[MetricNames.MacroF1]))
                .ToArray();
            return pairs.Average(p => p.Run) - pairs.Average(p => p.Baseline);
        }).ToArray();
        Assert.Equal(seedMeans.Average(), energy.VersusBaseline[MetricNames.MacroF1].MeanDifference, 14);
    }

    [Fact]
    public void UnderTheTestSplitAPairIsASeedsRun()
    {
        var summary = AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "baseline");

        Assert.Null(summary["baseline"].Pairing);
        Assert.Equal(new SeedPairing(3, 0, 0), summary["energy"].Pairing);
        Assert.Equal("seed", summary["energy"].Pairing!.Unit);
    }

    [Fact]
    public void PValuesAreHolmAdjustedAcrossTheConfigurationsPerMetricAndTest()
    {
        var summary = AblationSummary.Compute(ThreeConfigurationsThreeSeeds(), "baseline");

        foreach (var metric in summary.ComparedMetrics)
        {
            var energy = summary["energy"].VersusBaseline[metric];
            var same = summary["energy+face"].VersusBaseline[metric];
            // Two configurations: the smaller p is doubled, the larger (1, the identical configuration) stays 1.
            Assert.Equal(1.0, same.TTest.PValue);
            Assert.Equal(Math.Min(1, 2 * energy.TTest.PValue), energy.TTestPHolm, 15);
            Assert.Equal(1.0, same.TTestPHolm);
            Assert.Equal(0.5, energy.WilcoxonPHolm, 15); // 2 × 0.25
            Assert.Equal(1.0, same.WilcoxonPHolm);
        }
    }

    [Fact]
    public void GivenPredictionsEachConfigurationGetsItsSpeakerBootstrapInterval()
    {
        string[] speakers = ["a", "b", "c", "d"];
        int Predict(string speaker, int trueClass, int repetition) => repetition == 0 && speaker != "a" ? (trueClass + 1) % 3 : trueClass;
        var runs = ThreeConfigurationsThreeSeeds();
        var predictions = runs.Select(r => SpeakerBootstrapTests.Predictions(r.Configuration, r.Seed, speakers, Predict)).ToArray();

        var summary = AblationSummary.Compute(runs, "baseline", predictions: predictions);

        Assert.True(summary.HasMacroF1Intervals);
        Assert.Equal(SpeakerBootstrap.MacroF1(predictions.Where(p => p.Configuration == "energy").ToArray()), summary["energy"].MacroF1Interval);
        Assert.False(AblationSummary.Compute(runs, "baseline").HasMacroF1Intervals);
        // One predictions set per run, no more, no less: the interval must average the runs the mean averages.
        var missing = Assert.Throws<ArgumentException>(() => AblationSummary.Compute(runs, "baseline", predictions: predictions.Skip(1)));
        Assert.Contains("Configuration 'baseline'", missing.Message);
    }

    [Fact]
    public void UnmatchedSeedsAreLeftOutOfThePairedTest()
    {
        var runs = ThreeConfigurationsThreeSeeds().Append(Run("energy", 4, 0.9, 0.9, 0.9)).ToArray();

        var summary = AblationSummary.Compute(runs, "baseline");

        Assert.Equal(4, summary["energy"].Runs);
        Assert.Equal(3, summary["energy"].VersusBaseline[MetricNames.MacroF1].Pairs);
        Assert.Equal(new SeedPairing(3, 0, 0), summary["energy"].Pairing);
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

        Assert.Equal("seed", frame.GetColumn<string>(ResultsTable.PairUnitColumn).Get("energy"));
        // The baseline is paired with nothing: an empty field (Deedle reads an empty string field back as "").
        Assert.StartsWith("baseline,3,,", File.ReadLines(path).ElementAt(1));
        Assert.Equal("", frame.GetColumn<string>(ResultsTable.PairUnitColumn).Get("baseline"));
        Assert.Equal(summary["energy"].VersusBaseline[MetricNames.MacroF1].TTestPHolm, frame.GetColumn<double>("macro_f1_t_p_holm").Get("energy"), 12);
        Assert.Equal(0.5, frame.GetColumn<double>("macro_f1_wilcoxon_p_holm").Get("energy"));
        // Without predictions there is no interval, and no interval column.
        Assert.DoesNotContain("macro_f1_ci_low", frame.ColumnKeys);

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
    public void SummaryCsvColumnsPutTheIntervalAfterTheMeanAndEachHolmValueAfterItsRawPValue()
    {
        var runs = ThreeSeedsFourFoldsSharingEachSeedsEncoder();
        var predictions = runs.Select(r => SpeakerBootstrapTests.Predictions(r.Configuration, r.Seed, [$"f{r.Fold}a", $"f{r.Fold}b", $"f{r.Fold}c"],
            (speaker, c, repetition) => repetition < (speaker[^1] - 'a') ? (c + 1) % 3 : c, fold: r.Fold)).ToArray();
        var summary = AblationSummary.Compute(runs, "baseline", evaluation: "4-fold-by-actor", predictions: predictions);
        var path = Path.Combine(_directory, "summary.csv");

        ResultsTable.WriteCsv(ResultsTable.SummaryFrame(summary), path, ResultsTable.ConfigurationColumn);

        var header = File.ReadLines(path).First().Split(',');
        Assert.Equal(["configuration", "evaluation", "runs", "pair_unit"], header[..4]);
        int At(string column) => Array.IndexOf(header, column);
        Assert.Equal(At("macro_f1_std") + 1, At("macro_f1_ci_low"));
        Assert.Equal(At("macro_f1_ci_low") + 1, At("macro_f1_ci_high"));
        Assert.Equal(-1, At("macro_precision_ci_low"));
        foreach (var metric in MetricNames.Headline)
        {
            Assert.Equal(At(metric + "_t_p") + 1, At(metric + "_t_p_holm"));
            Assert.Equal(At(metric + "_wilcoxon_p") + 1, At(metric + "_wilcoxon_p_holm"));
        }
        var frame = ResultsTable.ReadSummaryCsv(path);
        Assert.Equal("seed (mean over 4 folds)", frame.GetColumn<string>(ResultsTable.PairUnitColumn).Get("energy"));
        Assert.Equal(3, frame.GetColumn<int>("macro_f1_pairs").Get("energy"));
        foreach (var configuration in summary.Configurations)
        {
            Assert.Equal(configuration.MacroF1Interval!.Low, frame.GetColumn<double>("macro_f1_ci_low").Get(configuration.Configuration), 15);
            Assert.Equal(configuration.MacroF1Interval!.High, frame.GetColumn<double>("macro_f1_ci_high").Get(configuration.Configuration), 15);
        }
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
