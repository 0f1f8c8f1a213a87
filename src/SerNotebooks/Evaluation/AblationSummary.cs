using SerNotebooks.Evaluation.Statistics;

namespace SerNotebooks.Evaluation;

/// <summary>
/// One configuration against the baseline on one metric, over <see cref="Pairs"/> seeds: each side of a pair is the
/// mean over that seed's matched folds (the run itself under the test split). <see cref="BaselineMean"/> is the
/// baseline's mean over the pairs, <see cref="RelativeChangePercent"/> = 100 · <see cref="MeanDifference"/> /
/// <see cref="BaselineMean"/>. <see cref="TTestPHolm"/> and <see cref="WilcoxonPHolm"/> are the p-values adjusted
/// by Holm's method across every configuration compared with the baseline on this metric by that test.
/// </summary>
public sealed record BaselineComparison(
    string Metric,
    int Pairs,
    double BaselineMean,
    double MeanDifference,
    double StdDifference,
    double RelativeChangePercent,
    PairedTTestResult TTest,
    WilcoxonSignedRankResult Wilcoxon,
    double TTestPHolm,
    double WilcoxonPHolm);

/// <summary>
/// How a configuration's runs were paired with the baseline's: one pair per seed (the seed's pre-trained encoder is
/// the independent unit), each side the mean over the folds run by both (none under the test split).
/// </summary>
/// <param name="Pairs">Seeds with at least one run matched with a baseline run of the same seed and fold.</param>
/// <param name="MinFoldsPerPair">Fewest folds averaged into a pair (0 under the test split).</param>
/// <param name="MaxFoldsPerPair">Most folds averaged into a pair (0 under the test split).</param>
public sealed record SeedPairing(int Pairs, int MinFoldsPerPair, int MaxFoldsPerPair)
{
    /// <summary>What one pair is: <c>seed</c>, or <c>seed (mean over 4 folds)</c> under k-fold.</summary>
    public string Unit => "seed" + FoldsNote;

    /// <summary><c> (mean over 4 folds)</c> under k-fold, empty under the test split.</summary>
    public string FoldsNote => MaxFoldsPerPair == 0
        ? ""
        : MinFoldsPerPair == MaxFoldsPerPair
            ? $" (mean over {MaxFoldsPerPair} fold{(MaxFoldsPerPair == 1 ? "" : "s")})"
            : $" (mean over {MinFoldsPerPair}–{MaxFoldsPerPair} folds)";
}

/// <summary>Mean ± std of every metric of one configuration, its comparisons with the baseline (none for the
/// baseline itself) and how they paired runs (null for the baseline), and the speaker-bootstrap interval of its
/// mean macro-F1 (null when the summary was computed without predictions).</summary>
public sealed record ConfigurationSummary(
    string Configuration,
    int Runs,
    IReadOnlyDictionary<string, MeanStd> Metrics,
    IReadOnlyDictionary<string, BaselineComparison> VersusBaseline,
    SeedPairing? Pairing = null,
    BootstrapInterval? MacroF1Interval = null)
{
    /// <summary>A control configuration (oracle or shuffled labels): shown apart, Holm-adjusted in its own family.</summary>
    public bool IsControl { get; init; }

    public MeanStd this[string metric] =>
        Metrics.TryGetValue(metric, out var value) ? value : throw new KeyNotFoundException($"Configuration '{Configuration}' has no metric '{metric}'.");
}

/// <summary>
/// Mean ± sample std per configuration over seeds (× folds), and for each non-baseline configuration a paired
/// t-test and an exact Wilcoxon signed-rank test against the baseline on each compared metric. The unit of a pair is
/// the <b>seed</b>: every fold of a seed fine-tunes the same pre-trained encoder and the folds share training
/// speakers, so folds are averaged within a seed before pairing (n = number of seeds). The p-values of a metric and
/// test are Holm-adjusted across the configurations. Given the runs' predictions, each configuration also gets a 95 %
/// cluster-bootstrap interval of its mean macro-F1 over test speakers (<see cref="SpeakerBootstrap"/>).
/// Configurations keep their first-seen order, baseline first.
/// </summary>
public sealed class AblationSummary
{
    private AblationSummary(string baseline, IReadOnlyList<ConfigurationSummary> configurations, IReadOnlyList<string> metrics, IReadOnlyList<string> comparedMetrics, IReadOnlyList<RunMetrics> runs, string? evaluation)
    {
        Evaluation = evaluation;
        Baseline = baseline;
        Configurations = configurations;
        MetricNamesInOrder = metrics;
        ComparedMetrics = comparedMetrics;
        Runs = runs;
    }

    public string Baseline { get; }

    public IReadOnlyList<ConfigurationSummary> Configurations { get; }

    /// <summary>Every metric present in all runs, in the order of the first run.</summary>
    public IReadOnlyList<string> MetricNamesInOrder { get; }

    /// <summary>Metrics tested against the baseline.</summary>
    public IReadOnlyList<string> ComparedMetrics { get; }

    public IReadOnlyList<RunMetrics> Runs { get; }

    /// <summary>The evaluation protocol the runs were measured with (e.g. <c>test-split</c>, <c>5-fold-by-actor</c>); null when not given.</summary>
    public string? Evaluation { get; }

    /// <summary>True when every configuration has a macro-F1 bootstrap interval (the summary was given the predictions).</summary>
    public bool HasMacroF1Intervals => Configurations.All(c => c.MacroF1Interval is not null);

    public ConfigurationSummary this[string configuration] =>
        Configurations.FirstOrDefault(c => c.Configuration == configuration)
        ?? throw new KeyNotFoundException($"No configuration '{configuration}' (have: {string.Join(", ", Configurations.Select(c => c.Configuration))}).");

    /// <summary>Summarises runs. <paramref name="comparedMetrics"/> defaults to macro precision, recall and F1;
    /// <paramref name="evaluation"/> names the evaluation protocol, carried into the summary tables;
    /// <paramref name="predictions"/> (every run's test predictions with speakers, one per run) adds each
    /// configuration's macro-F1 bootstrap interval. <paramref name="controls"/> names the control configurations: they
    /// are compared with the baseline like the others, but their p-values are Holm-adjusted among the controls only,
    /// so adding controls never changes the correction of the paper's configurations.</summary>
    public static AblationSummary Compute(
        IEnumerable<RunMetrics> runs,
        string baselineConfiguration,
        IReadOnlyList<string>? comparedMetrics = null,
        string? evaluation = null,
        IEnumerable<RunPredictions>? predictions = null,
        IReadOnlyCollection<string>? controls = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineConfiguration);
        var all = runs.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("No runs to summarise.", nameof(runs));
        }
        var duplicate = all.GroupBy(r => (r.Configuration, r.PairKey)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Configuration '{duplicate.Key.Configuration}' has {duplicate.Count()} runs for seed {duplicate.Key.PairKey.Seed}{(duplicate.Key.PairKey.Fold.Length > 0 ? $" fold {duplicate.Key.PairKey.Fold}" : "")}.", nameof(runs));
        }
        var metrics = all[0].Metrics.Keys.Where(m => all.All(r => r.Metrics.ContainsKey(m))).ToArray();
        var compared = comparedMetrics ?? MetricNames.Headline;
        foreach (var metric in compared)
        {
            if (!metrics.Contains(metric))
            {
                throw new ArgumentException($"Metric '{metric}' is not present in every run.", nameof(comparedMetrics));
            }
        }
        var order = all.Select(r => r.Configuration).Distinct(StringComparer.Ordinal).ToList();
        if (!order.Remove(baselineConfiguration))
        {
            throw new ArgumentException($"No runs of the baseline configuration '{baselineConfiguration}' (have: {string.Join(", ", order)}).", nameof(baselineConfiguration));
        }
        order.Insert(0, baselineConfiguration);
        var predictionsByConfiguration = predictions is null ? null : PredictionsByConfiguration(predictions, all, order);
        var baselineRuns = all.Where(r => r.Configuration == baselineConfiguration).ToDictionary(r => r.PairKey);
        var summaries = order.Select(configuration =>
        {
            var own = all.Where(r => r.Configuration == configuration).OrderBy(r => r.Seed).ThenBy(r => r.Fold, StringComparer.Ordinal).ToArray();
            var stats = metrics.ToDictionary(m => m, m => MeanStd.Of(own.Select(r => r[m])), StringComparer.Ordinal);
            var interval = predictionsByConfiguration is null ? null : SpeakerBootstrap.MacroF1(predictionsByConfiguration[configuration]);
            if (configuration == baselineConfiguration)
            {
                return new ConfigurationSummary(configuration, own.Length, stats, new Dictionary<string, BaselineComparison>(StringComparer.Ordinal), null, interval);
            }
            var (pairing, seeds) = PairBySeed(own, baselineRuns);
            var comparisons = compared.ToDictionary(metric => metric, metric => Compare(metric, seeds), StringComparer.Ordinal);
            return new ConfigurationSummary(configuration, own.Length, stats, comparisons, pairing, interval)
            {
                IsControl = controls?.Contains(configuration) ?? false,
            };
        }).ToArray();
        summaries = WithHolmAdjustment(summaries, compared, s => !s.IsControl);
        summaries = WithHolmAdjustment(summaries, compared, s => s.IsControl);
        return new AblationSummary(baselineConfiguration, summaries, metrics, compared, all, evaluation);
    }

    /// <summary>
    /// The runs matched with a baseline run of the same seed and fold, grouped by seed: each group becomes one pair.
    /// A fold run by only one side is left out, so both means of a pair are over the same folds.
    /// </summary>
    private static (SeedPairing Pairing, IReadOnlyList<(RunMetrics Run, RunMetrics Baseline)[]> Seeds) PairBySeed(
        IReadOnlyList<RunMetrics> own, IReadOnlyDictionary<(int Seed, string Fold), RunMetrics> baselineRuns)
    {
        var seeds = own.Where(r => baselineRuns.ContainsKey(r.PairKey))
            .GroupBy(r => r.Seed)
            .OrderBy(g => g.Key)
            .Select(g => g.Select(r => (Run: r, Baseline: baselineRuns[r.PairKey])).ToArray())
            .ToArray();
        var foldsPerSeed = seeds.Select(s => s.Count(p => p.Run.Fold is not null)).ToArray();
        var pairing = new SeedPairing(seeds.Length, foldsPerSeed.DefaultIfEmpty(0).Min(), foldsPerSeed.DefaultIfEmpty(0).Max());
        return (pairing, seeds);
    }

    private static BaselineComparison Compare(string metric, IReadOnlyList<(RunMetrics Run, RunMetrics Baseline)[]> seeds)
    {
        var treatment = seeds.Select(s => s.Average(p => p.Run[metric])).ToArray();
        var reference = seeds.Select(s => s.Average(p => p.Baseline[metric])).ToArray();
        var t = PairedTTest.Run(treatment, reference);
        var w = WilcoxonSignedRankTest.Run(treatment, reference);
        var referenceMean = reference.Length == 0 ? double.NaN : reference.Average();
        var relative = referenceMean == 0 || double.IsNaN(referenceMean) ? double.NaN : 100 * t.MeanDifference / referenceMean;
        // The Holm-adjusted p-values need the whole family: WithHolmAdjustment fills them in.
        return new BaselineComparison(metric, seeds.Count, referenceMean, t.MeanDifference, t.StdDifference, relative, t, w, double.NaN, double.NaN);
    }

    /// <summary>
    /// Holm-adjusts, per metric and per test, the p-values of the configurations of one family compared with the
    /// baseline (the paper's configurations, or the controls).
    /// </summary>
    private static ConfigurationSummary[] WithHolmAdjustment(ConfigurationSummary[] summaries, IReadOnlyList<string> compared, Func<ConfigurationSummary, bool> inFamily)
    {
        var others = summaries.Where(s => s.Pairing is not null && inFamily(s)).ToArray();
        var adjusted = compared.ToDictionary(
            metric => metric,
            metric => (
                T: HolmBonferroni.Adjust(others.Select(s => s.VersusBaseline[metric].TTest.PValue).ToArray()),
                Wilcoxon: HolmBonferroni.Adjust(others.Select(s => s.VersusBaseline[metric].Wilcoxon.PValue).ToArray())),
            StringComparer.Ordinal);
        return summaries.Select(s =>
        {
            var position = Array.IndexOf(others, s);
            if (position < 0)
            {
                return s;
            }
            var comparisons = s.VersusBaseline.ToDictionary(
                x => x.Key,
                x => x.Value with { TTestPHolm = adjusted[x.Key].T[position], WilcoxonPHolm = adjusted[x.Key].Wilcoxon[position] },
                StringComparer.Ordinal);
            return s with { VersusBaseline = comparisons };
        }).ToArray();
    }

    /// <summary>The predictions of each configuration's runs; every run needs exactly one, so the interval averages the same runs as the point estimate.</summary>
    private static Dictionary<string, RunPredictions[]> PredictionsByConfiguration(IEnumerable<RunPredictions> predictions, IReadOnlyList<RunMetrics> runs, IReadOnlyList<string> configurations)
    {
        var all = predictions.ToArray();
        var result = new Dictionary<string, RunPredictions[]>(StringComparer.Ordinal);
        foreach (var configuration in configurations)
        {
            var own = all.Where(p => p.Configuration == configuration).ToArray();
            var expected = runs.Where(r => r.Configuration == configuration).Select(r => r.PairKey).Order().ToArray();
            var given = own.Select(p => p.PairKey).Order().ToArray();
            if (!expected.SequenceEqual(given))
            {
                throw new ArgumentException(
                    $"Configuration '{configuration}': predictions for runs ({string.Join(", ", given.Select(Describe))}) but metrics for runs ({string.Join(", ", expected.Select(Describe))}); the interval needs exactly one predictions set per run.",
                    nameof(predictions));
            }
            result[configuration] = own;
        }
        var unknown = all.Select(p => p.Configuration).Distinct(StringComparer.Ordinal).Except(configurations, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Predictions for configurations without runs: {string.Join(", ", unknown)}.", nameof(predictions));
        }
        return result;
    }

    private static string Describe((int Seed, string Fold) key) => key.Fold.Length == 0 ? $"seed {key.Seed}" : $"seed {key.Seed} fold {key.Fold}";
}
