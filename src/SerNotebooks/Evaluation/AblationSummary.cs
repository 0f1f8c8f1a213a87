using SerNotebooks.Evaluation.Statistics;

namespace SerNotebooks.Evaluation;

/// <summary>One configuration against the baseline on one metric, over matched (seed, fold) pairs:
/// <see cref="BaselineMean"/> is the baseline's mean over those pairs, <see cref="RelativeChangePercent"/> =
/// 100 · <see cref="MeanDifference"/> / <see cref="BaselineMean"/>.</summary>
public sealed record BaselineComparison(
    string Metric,
    int Pairs,
    double BaselineMean,
    double MeanDifference,
    double StdDifference,
    double RelativeChangePercent,
    PairedTTestResult TTest,
    WilcoxonSignedRankResult Wilcoxon);

/// <summary>Mean ± std of every metric of one configuration, and its comparisons with the baseline (none for
/// the baseline itself).</summary>
public sealed record ConfigurationSummary(
    string Configuration,
    int Runs,
    IReadOnlyDictionary<string, MeanStd> Metrics,
    IReadOnlyDictionary<string, BaselineComparison> VersusBaseline)
{
    public MeanStd this[string metric] =>
        Metrics.TryGetValue(metric, out var value) ? value : throw new KeyNotFoundException($"Configuration '{Configuration}' has no metric '{metric}'.");
}

/// <summary>
/// Mean ± sample std per configuration over seeds/folds, and for each non-baseline configuration a paired
/// t-test and an exact Wilcoxon signed-rank test against the baseline on each compared metric, pairing runs by
/// (seed, fold). Configurations keep their first-seen order, baseline first.
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

    public ConfigurationSummary this[string configuration] =>
        Configurations.FirstOrDefault(c => c.Configuration == configuration)
        ?? throw new KeyNotFoundException($"No configuration '{configuration}' (have: {string.Join(", ", Configurations.Select(c => c.Configuration))}).");

    /// <summary>Summarises runs. <paramref name="comparedMetrics"/> defaults to macro precision, recall and F1;
    /// <paramref name="evaluation"/> names the evaluation protocol, carried into the summary tables.</summary>
    public static AblationSummary Compute(IEnumerable<RunMetrics> runs, string baselineConfiguration, IReadOnlyList<string>? comparedMetrics = null, string? evaluation = null)
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
        var baselineRuns = all.Where(r => r.Configuration == baselineConfiguration).ToDictionary(r => r.PairKey);
        var summaries = order.Select(configuration =>
        {
            var own = all.Where(r => r.Configuration == configuration).OrderBy(r => r.Seed).ThenBy(r => r.Fold, StringComparer.Ordinal).ToArray();
            var stats = metrics.ToDictionary(m => m, m => MeanStd.Of(own.Select(r => r[m])), StringComparer.Ordinal);
            var comparisons = new Dictionary<string, BaselineComparison>(StringComparer.Ordinal);
            if (configuration != baselineConfiguration)
            {
                var pairs = own.Where(r => baselineRuns.ContainsKey(r.PairKey)).Select(r => (run: r, baseline: baselineRuns[r.PairKey])).ToArray();
                foreach (var metric in compared)
                {
                    var treatment = pairs.Select(p => p.run[metric]).ToArray();
                    var reference = pairs.Select(p => p.baseline[metric]).ToArray();
                    var t = PairedTTest.Run(treatment, reference);
                    var w = WilcoxonSignedRankTest.Run(treatment, reference);
                    var referenceMean = reference.Length == 0 ? double.NaN : reference.Average();
                    var relative = referenceMean == 0 || double.IsNaN(referenceMean) ? double.NaN : 100 * t.MeanDifference / referenceMean;
                    comparisons[metric] = new BaselineComparison(metric, pairs.Length, referenceMean, t.MeanDifference, t.StdDifference, relative, t, w);
                }
            }
            return new ConfigurationSummary(configuration, own.Length, stats, comparisons);
        }).ToArray();
        return new AblationSummary(baselineConfiguration, summaries, metrics, compared, all, evaluation);
    }
}
