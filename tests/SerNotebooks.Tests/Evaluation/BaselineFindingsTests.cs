using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class BaselineFindingsTests
{
    private static readonly double[] BaselineF1 = [0.50, 0.52, 0.48, 0.51, 0.49, 0.50, 0.53, 0.47];

    private static RunMetrics Run(string configuration, int seed, double score) => new(configuration, seed, null, Scores(score));

    private static Dictionary<string, double> Scores(double score) => new()
    {
        [MetricNames.MacroPrecision] = score,
        [MetricNames.MacroRecall] = score,
        [MetricNames.MacroF1] = score,
    };

    private static IEnumerable<RunMetrics> Configuration(string name, IReadOnlyList<double> differences) =>
        differences.Select((d, i) => Run(name, i + 1, BaselineF1[i] + d));

    private static AblationSummary EightSeeds() => AblationSummary.Compute(
    [
        .. Configuration("baseline", new double[8]),
        // A large, consistent gain: significant by both tests, even after correcting for 4 comparisons.
        .. Configuration("strong", [0.10, 0.11, 0.09, 0.10, 0.105, 0.095, 0.10, 0.12]),
        // Small changes of both signs: nothing to see.
        .. Configuration("weak", [0.01, -0.01, 0.02, -0.01, 0.01, -0.02, 0.01, 0.0]),
        // A loss with t ≈ −2.6 on 7 degrees of freedom (p ≈ 0.035): below 0.05, but not after Holm's correction (× 3).
        .. Configuration("worse", [-0.03, -0.01, -0.05, -0.02, -0.04, 0.01, 0.0, -0.01]),
        .. Configuration("same", new double[8]),
    ], "baseline");

    [Fact]
    public void ConfigurationsAreSortedIntoSignificantBeforeAndAfterCorrection()
    {
        var findings = BaselineFindings.Of(EightSeeds());

        Assert.Equal(["strong", "weak", "worse", "same"], findings.Findings.Select(f => f.Configuration));
        Assert.Equal(["strong", "worse"], findings.SignificantByTTest);
        // Design change: the corrected reading is Holm's step-down (it was Bonferroni's p < α / 4); here both agree.
        Assert.Equal(["strong"], findings.SignificantAfterHolm);
        Assert.Contains("strong", findings.SignificantByWilcoxon);
        Assert.DoesNotContain("weak", findings.SignificantByWilcoxon);
        Assert.Equal(["strong"], findings.SignificantByWilcoxonAfterHolm);
        Assert.Equal(1 - Math.Pow(0.95, 4), findings.FamilyWiseErrorBound, 15);
        Assert.Equal("strong", findings.BestConfiguration);
        var strong = findings.Findings[0];
        Assert.Equal(8, strong.Pairs);
        Assert.Equal("seed", strong.Pairing.Unit);
        Assert.Equal(0.1025, strong.MeanDifference, 12);
        Assert.Equal(20.5, strong.RelativeChangePercent, 9);
        Assert.Equal(2.0 / 256, strong.WilcoxonP, 12);
        Assert.Equal(4 * strong.TTestP, strong.TTestPHolm, 15);
        Assert.Equal(4 * strong.WilcoxonP, strong.WilcoxonPHolm, 15);
        // Holm's second step: worse has the second smallest p of the 4, so it is multiplied by 3.
        var worse = findings.Findings[2];
        Assert.Equal(3 * worse.TTestP, worse.TTestPHolm, 15);
        Assert.True(worse.TTestP < findings.Alpha && worse.TTestPHolm >= findings.Alpha, $"p = {worse.TTestP}, Holm {worse.TTestPHolm}");
    }

    [Fact]
    public void DescriptionNamesTheSignificantConfigurationsAndTheCaveats()
    {
        var text = BaselineFindings.Of(EightSeeds()).Describe(width: 10_000);

        Assert.Contains("Each of the 4 configurations was compared with the baseline on macro F1 over 8 matched pairs", text);
        Assert.Contains("By the paired t-test, strong (higher, +20.5 %, p = 0.000) and worse (lower, ", text);
        Assert.Contains("differ from the baseline at p < 0.05; the other 2 do not.", text);
        Assert.Contains("The Wilcoxon test flags strong (after Holm correction: strong).", text);
        Assert.Contains("up to 19 %", text);
        Assert.Contains("After Holm correction across the 4 configurations, strong remains significant by the paired t-test.", text);
        Assert.Contains("The highest mean macro F1 is strong's: 0.603 against 0.500 for the baseline.", text);
    }

    [Fact]
    public void DescriptionIsWrappedForNotebookOutputsWithoutLosingAWord()
    {
        var findings = BaselineFindings.Of(EightSeeds());

        var wrapped = findings.Describe(width: 60);

        var lines = wrapped.Split(Environment.NewLine);
        Assert.All(lines, line => Assert.True(line.Length <= 60, line));
        Assert.True(lines.Length > findings.Describe(width: 10_000).Split(Environment.NewLine).Length);
        Assert.Equal(
            findings.Describe(width: 10_000).Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
            wrapped.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TableGivesEachConfigurationAVerdict()
    {
        var frame = BaselineFindings.Of(EightSeeds()).ToFrame();

        var reading = frame.GetColumn<string>("reading");
        Assert.Equal("higher, significant after Holm correction", reading.Get("strong"));
        Assert.Equal("lower, p < 0.05 uncorrected", reading.Get("worse"));
        Assert.Equal("no significant difference", reading.Get("weak"));
        Assert.Equal("no significant difference", reading.Get("same"));
        Assert.Equal(0.6025, frame.GetColumn<double>("macro F1 mean").Get("strong"), 9);
        Assert.Equal(8, frame.GetColumn<int>("pairs").Get("worse"));
        Assert.Equal("seed", frame.GetColumn<string>("pair").Get("worse"));
        Assert.Equal(3 * frame.GetColumn<double>("t-test p").Get("worse"), frame.GetColumn<double>("t-test p (Holm)").Get("worse"), 15);
        Assert.Contains("Wilcoxon p (Holm)", frame.ColumnKeys);
        // No predictions, no interval column.
        Assert.DoesNotContain("95% CI (speakers)", frame.ColumnKeys);
    }

    [Fact]
    public void UnderKFoldThePairsAreSeedsAndTheTextSaysWhyFoldsAddNone()
    {
        // 3 seeds × 4 folds: the configuration is consistently better, but there are only 3 encoders to compare.
        var runs = new List<RunMetrics>();
        for (var seed = 1; seed <= 3; seed++)
        {
            for (var fold = 1; fold <= 4; fold++)
            {
                var baseline = 0.40 + 0.02 * fold + 0.01 * seed;
                runs.Add(new RunMetrics("baseline", seed, $"{fold}", Scores(baseline)));
                runs.Add(new RunMetrics("energy", seed, $"{fold}", Scores(baseline + 0.05 + 0.001 * seed * fold)));
            }
        }

        var findings = BaselineFindings.Of(AblationSummary.Compute(runs, "baseline"));
        var text = findings.Describe(width: 10_000);

        Assert.Equal(3, findings.Findings[0].Pairs);
        Assert.Contains("over 3 matched pairs (one per seed, each the mean over the seed's 4 folds, which all start from its one pre-trained encoder;", text);
        Assert.Contains("it needs at least 6 seeds (folds add no pairs)", text);
    }

    [Fact]
    public void WithPredictionsTheBestConfigurationIsGivenWithItsSpeakerInterval()
    {
        string[] speakers = ["a", "b", "c", "d", "e"];
        var runs = new List<RunMetrics>();
        var predictions = new List<RunPredictions>();
        foreach (var (configuration, misses) in new[] { ("baseline", 2), ("energy", 1) })
        {
            for (var seed = 1; seed <= 3; seed++)
            {
                // The baseline misses 2 of 4 repetitions for some speakers, energy 1: energy is better.
                var run = SpeakerBootstrapTests.Predictions(configuration, seed, speakers,
                    (speaker, c, repetition) => repetition < misses && speaker[0] <= (char)('a' + seed) ? (c + 1) % 3 : c);
                predictions.Add(run);
                runs.Add(RunMetrics.FromReport(configuration, seed, ClassificationReport.FromPredictions(run.Predictions)));
            }
        }
        var summary = AblationSummary.Compute(runs, "baseline", predictions: predictions);

        var findings = BaselineFindings.Of(summary);
        var text = findings.Describe(width: 10_000);

        var energy = findings.Findings[0];
        Assert.Equal(summary["energy"].MacroF1Interval, energy.Interval);
        Assert.Equal(summary["baseline"].MacroF1Interval, findings.BaselineInterval);
        Assert.Contains($"The highest mean macro F1 is energy's: {energy.Mean.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} (95 % CI over test speakers {energy.Interval!.Format()}) against ", text);
        Assert.Equal(energy.Interval.Format(), findings.ToFrame().GetColumn<string>("95% CI (speakers)").Get("energy"));
        // Another metric than macro-F1 has no interval.
        Assert.Null(BaselineFindings.Of(summary, MetricNames.MacroPrecision).Findings[0].Interval);
    }

    [Fact]
    public void WithThreeSeedsTheWilcoxonTestIsSaidToBeUnableToReachTheLevel()
    {
        var summary = AblationSummary.Compute(
        [
            Run("baseline", 1, 0.50), Run("baseline", 2, 0.52), Run("baseline", 3, 0.48),
            Run("energy", 1, 0.60), Run("energy", 2, 0.63), Run("energy", 3, 0.57),
        ], "baseline");

        var findings = BaselineFindings.Of(summary);

        Assert.Empty(findings.SignificantByWilcoxon);
        Assert.Equal(0.25, findings.Findings[0].WilcoxonMinimumP, 12);
        Assert.Contains("cannot reach p < 0.05 with so few pairs (its smallest possible p is 0.25)", findings.Describe(width: 10_000));
    }

    [Fact]
    public void WithOneSeedNothingIsTestable()
    {
        var findings = BaselineFindings.Of(AblationSummary.Compute([Run("baseline", 1, 0.5), Run("energy", 1, 0.4)], "baseline"));

        Assert.Empty(findings.SignificantByTTest);
        Assert.Contains("With fewer than 2 pairs the tests are undefined", findings.Describe(width: 10_000));
        Assert.Contains("No configuration has a higher mean macro F1 than the baseline (0.500); the best is energy (0.400).", findings.Describe(width: 10_000));
        Assert.Equal("not testable (fewer than 2 pairs)", findings.ToFrame().GetColumn<string>("reading").Get("energy"));
    }

    [Fact]
    public void AMetricThatWasNotTestedOrABadLevelIsRejected()
    {
        var summary = EightSeeds();

        Assert.Contains("'accuracy' is not tested", Assert.Throws<ArgumentException>(() => BaselineFindings.Of(summary, MetricNames.Accuracy)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BaselineFindings.Of(summary, alpha: 1.5));
    }
}
