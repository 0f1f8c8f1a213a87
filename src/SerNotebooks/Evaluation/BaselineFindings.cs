using System.Globalization;
using Deedle;

namespace SerNotebooks.Evaluation;

/// <summary>One configuration against the baseline on one metric, as <see cref="BaselineFindings"/> reads it.</summary>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Pairs">Seeds paired with the baseline (each side of a pair the mean over the seed's matched folds under k-fold).</param>
/// <param name="Pairing">How the pairs were formed (<see cref="SeedPairing.Unit"/>: <c>seed</c> or <c>seed (mean over 4 folds)</c>).</param>
/// <param name="Mean">The configuration's mean over all its runs.</param>
/// <param name="BaselineMean">The baseline's mean over the pairs.</param>
/// <param name="MeanDifference">Mean paired difference (configuration − baseline) over the pairs.</param>
/// <param name="RelativeChangePercent">100 · <paramref name="MeanDifference"/> / <paramref name="BaselineMean"/>.</param>
/// <param name="TTestP">Two-sided p-value of the paired t-test (NaN with fewer than 2 pairs).</param>
/// <param name="WilcoxonP">Two-sided exact p-value of the Wilcoxon signed-rank test.</param>
/// <param name="WilcoxonMinimumP">The smallest p-value the Wilcoxon test could give with this many pairs.</param>
/// <param name="TTestPHolm">The t-test p-value Holm-adjusted across all configurations compared with the baseline.</param>
/// <param name="WilcoxonPHolm">The Wilcoxon p-value Holm-adjusted across all configurations compared with the baseline.</param>
/// <param name="Interval">The 95 % speaker-bootstrap interval of the configuration's mean (macro-F1 only; null otherwise or when not computed).</param>
public sealed record BaselineFinding(
    string Configuration,
    int Pairs,
    SeedPairing Pairing,
    double Mean,
    double BaselineMean,
    double MeanDifference,
    double RelativeChangePercent,
    double TTestP,
    double WilcoxonP,
    double WilcoxonMinimumP,
    double TTestPHolm,
    double WilcoxonPHolm,
    BootstrapInterval? Interval);

/// <summary>
/// Which configurations differ from the baseline, read from an <see cref="AblationSummary"/>'s paired tests
/// (EVALUATION.md) at a significance level, with the caveats that decide how much the answer is worth: how many
/// pairs there were (seeds: folds of a seed share its pre-trained encoder), whether the Wilcoxon test could reach the
/// level at all, and how many comparisons were made (with the Holm-corrected answer beside the uncorrected one), and,
/// for macro-F1, the speaker-bootstrap intervals. Everything here is computed from the summary.
/// </summary>
public sealed class BaselineFindings
{
    private BaselineFindings(string baseline, string metric, double alpha, double baselineMean, BootstrapInterval? baselineInterval, IReadOnlyList<BaselineFinding> findings)
    {
        Baseline = baseline;
        Metric = metric;
        Alpha = alpha;
        BaselineMean = baselineMean;
        BaselineInterval = baselineInterval;
        Findings = findings;
    }

    public string Baseline { get; }

    public string Metric { get; }

    /// <summary><see cref="Metric"/> for prose: <c>macro_f1</c> → "macro F1".</summary>
    public string MetricLabel => Metric.Replace('_', ' ').Replace("f1", "F1", StringComparison.Ordinal);

    /// <summary>Significance level of each single comparison.</summary>
    public double Alpha { get; }

    /// <summary>The baseline's mean over all its runs.</summary>
    public double BaselineMean { get; }

    /// <summary>The baseline's 95 % speaker-bootstrap interval (macro-F1 only; null otherwise or when not computed).</summary>
    public BootstrapInterval? BaselineInterval { get; }

    /// <summary>Every configuration except the baseline, in the summary's order.</summary>
    public IReadOnlyList<BaselineFinding> Findings { get; }

    /// <summary>If no configuration differed, the chance that at least one of the comparisons still has p &lt; <see cref="Alpha"/> (independent tests: 1 − (1 − α)^k).</summary>
    public double FamilyWiseErrorBound => 1 - Math.Pow(1 - Alpha, Findings.Count);

    /// <summary>Configurations whose paired t-test has p &lt; <see cref="Alpha"/>.</summary>
    public IReadOnlyList<string> SignificantByTTest => Findings.Where(f => f.TTestP < Alpha).Select(f => f.Configuration).ToArray();

    /// <summary>Configurations whose Wilcoxon signed-rank test has p &lt; <see cref="Alpha"/>.</summary>
    public IReadOnlyList<string> SignificantByWilcoxon => Findings.Where(f => f.WilcoxonP < Alpha).Select(f => f.Configuration).ToArray();

    /// <summary>Configurations whose paired t-test has a Holm-adjusted p &lt; <see cref="Alpha"/> (the chance of any false
    /// positive among all the comparisons is then at most <see cref="Alpha"/>).</summary>
    public IReadOnlyList<string> SignificantAfterHolm => Findings.Where(f => f.TTestPHolm < Alpha).Select(f => f.Configuration).ToArray();

    /// <summary>Configurations whose Wilcoxon signed-rank test has a Holm-adjusted p &lt; <see cref="Alpha"/>.</summary>
    public IReadOnlyList<string> SignificantByWilcoxonAfterHolm => Findings.Where(f => f.WilcoxonPHolm < Alpha).Select(f => f.Configuration).ToArray();

    /// <summary>The configuration (baseline excluded) with the highest mean; the first in order on a tie.</summary>
    public string BestConfiguration => Findings.Aggregate((best, f) => f.Mean > best.Mean ? f : best).Configuration;

    /// <summary>Reads <paramref name="summary"/>'s comparisons on <paramref name="metric"/> (one of its compared metrics) at level <paramref name="alpha"/>.</summary>
    public static BaselineFindings Of(AblationSummary summary, string metric = MetricNames.MacroF1, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!summary.ComparedMetrics.Contains(metric))
        {
            throw new ArgumentException($"'{metric}' is not tested against the baseline (tested: {string.Join(", ", summary.ComparedMetrics)}).", nameof(metric));
        }
        if (alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the significance level must be between 0 and 1");
        }
        var findings = summary.Configurations
            .Where(c => c.Configuration != summary.Baseline)
            .Select(c =>
            {
                var comparison = c.VersusBaseline[metric];
                return new BaselineFinding(c.Configuration, comparison.Pairs, c.Pairing!, c[metric].Mean, comparison.BaselineMean, comparison.MeanDifference,
                    comparison.RelativeChangePercent, comparison.TTest.PValue, comparison.Wilcoxon.PValue, comparison.Wilcoxon.MinimumAttainablePValue,
                    comparison.TTestPHolm, comparison.WilcoxonPHolm, IntervalOf(c, metric));
            })
            .ToArray();
        if (findings.Length == 0)
        {
            throw new ArgumentException("Only the baseline was run: there is nothing to compare.", nameof(summary));
        }
        var baseline = summary[summary.Baseline];
        return new BaselineFindings(summary.Baseline, metric, alpha, baseline[metric].Mean, IntervalOf(baseline, metric), findings);
    }

    private static BootstrapInterval? IntervalOf(ConfigurationSummary configuration, string metric) =>
        metric == MetricNames.MacroF1 ? configuration.MacroF1Interval : null;

    /// <summary>One row per configuration: pairs (seeds), mean (with its 95 % speaker-bootstrap interval when there is one),
    /// change versus the baseline, both p-values raw and Holm-adjusted, and a short verdict.</summary>
    public Frame<string, string> ToFrame()
    {
        var keys = Findings.Select(f => f.Configuration).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        builder.Add("pairs", new Series<string, int>(keys, Findings.Select(f => f.Pairs).ToArray()));
        builder.Add("pair", new Series<string, string>(keys, Findings.Select(f => f.Pairing.Unit).ToArray()));
        builder.Add($"{MetricLabel} mean", new Series<string, double>(keys, Findings.Select(f => f.Mean).ToArray()));
        if (Findings.All(f => f.Interval is not null))
        {
            builder.Add("95% CI (speakers)", new Series<string, string>(keys, Findings.Select(f => f.Interval!.Format()).ToArray()));
        }
        builder.Add("Δ vs baseline", new Series<string, double>(keys, Findings.Select(f => f.MeanDifference).ToArray()));
        builder.Add("Δ %", new Series<string, double>(keys, Findings.Select(f => f.RelativeChangePercent).ToArray()));
        builder.Add("t-test p", new Series<string, double>(keys, Findings.Select(f => f.TTestP).ToArray()));
        builder.Add("t-test p (Holm)", new Series<string, double>(keys, Findings.Select(f => f.TTestPHolm).ToArray()));
        builder.Add("Wilcoxon p", new Series<string, double>(keys, Findings.Select(f => f.WilcoxonP).ToArray()));
        builder.Add("Wilcoxon p (Holm)", new Series<string, double>(keys, Findings.Select(f => f.WilcoxonPHolm).ToArray()));
        builder.Add("reading", new Series<string, string>(keys, Findings.Select(Verdict).ToArray()));
        return builder.Frame;
    }

    /// <summary>
    /// A few sentences in plain language: what was tested, which configurations differ, and what limits the
    /// answer. One paragraph per point, each wrapped at <paramref name="width"/> characters (notebook outputs and
    /// the report show text as it is, without wrapping).
    /// </summary>
    public string Describe(int width = 110)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 20);
        var pairs = Findings.Select(f => f.Pairs).Distinct().Order().ToArray();
        var pairText = pairs.Length == 1 ? Count(pairs[0], "matched pair") : $"{pairs[0]}–{pairs[^1]} matched pairs";
        var fewestFolds = Findings.Min(f => f.Pairing.MinFoldsPerPair);
        var mostFolds = Findings.Max(f => f.Pairing.MaxFoldsPerPair);
        var pairMeaning = mostFolds == 0
            ? "one per seed, only the pre-training differs"
            : $"one per seed, each the mean over the seed's {(fewestFolds == mostFolds ? $"{mostFolds}" : $"{fewestFolds}–{mostFolds}")} folds, which all start from its one pre-trained encoder; only the pre-training differs";
        var lines = new List<string>
        {
            Invariant($"Each of the {Findings.Count} configurations was compared with the {Baseline} on {MetricLabel} over {pairText} ({pairMeaning}), with a two-sided paired t-test and an exact Wilcoxon signed-rank test at α = {Alpha:0.###}."),
        };
        if (Findings.All(f => double.IsNaN(f.TTestP)))
        {
            lines.Add("With fewer than 2 pairs the tests are undefined: run more seeds to compare configurations.");
        }
        else
        {
            var byT = SignificantByTTest;
            if (byT.Count == 0)
            {
                var closest = Findings.Where(f => !double.IsNaN(f.TTestP)).MinBy(f => f.TTestP)!;
                lines.Add(Invariant($"No configuration differs significantly from the {Baseline} by the paired t-test (the smallest p is {closest.TTestP:0.000}, for {closest.Configuration})."));
            }
            else
            {
                var listed = Findings.Where(f => byT.Contains(f.Configuration))
                    .Select(f => Invariant($"{f.Configuration} ({Direction(f)}, {f.RelativeChangePercent:+0.0;-0.0;0.0} %, p = {f.TTestP:0.000})"));
                lines.Add($"By the paired t-test, {Join(listed)} {(byT.Count == 1 ? "differs" : "differ")} from the {Baseline} at p < {Alpha.ToString("0.###", CultureInfo.InvariantCulture)}; the other {Findings.Count - byT.Count} do not.");
            }
            var reachable = Findings.Where(f => f.WilcoxonMinimumP < Alpha).ToArray();
            if (reachable.Length == 0)
            {
                var minimum = Findings.Min(f => f.WilcoxonMinimumP);
                lines.Add(Invariant($"The Wilcoxon test cannot reach p < {Alpha:0.###} with so few pairs (its smallest possible p is {minimum:0.###}), so it flags nothing here by construction: it needs at least 6 seeds (folds add no pairs)."));
            }
            else
            {
                var byW = SignificantByWilcoxon;
                var byWCorrected = SignificantByWilcoxonAfterHolm;
                lines.Add(byW.Count == 0
                    ? "The Wilcoxon test flags no configuration."
                    : $"The Wilcoxon test flags {Join(byW)} (after Holm correction: {(byWCorrected.Count == 0 ? "none" : Join(byWCorrected))}).");
            }
            var corrected = SignificantAfterHolm;
            var closestCorrected = Findings.Where(f => !double.IsNaN(f.TTestPHolm)).MinBy(f => f.TTestPHolm)!;
            lines.Add(Invariant($"These p-values are not corrected for making {Findings.Count} comparisons: if no configuration differed, the chance that at least one looks significant is up to {100 * FamilyWiseErrorBound:0} %. ")
                + (corrected.Count == 0
                    ? Invariant($"After Holm correction across the {Findings.Count} configurations no configuration is significant by the paired t-test (the smallest adjusted p is {closestCorrected.TTestPHolm:0.000}, for {closestCorrected.Configuration}).")
                    : Invariant($"After Holm correction across the {Findings.Count} configurations, {Join(corrected)} {(corrected.Count == 1 ? "remains" : "remain")} significant by the paired t-test.")));
        }
        var best = Findings.First(f => f.Configuration == BestConfiguration);
        string WithInterval(double mean, BootstrapInterval? interval) =>
            interval is null ? Invariant($"{mean:0.000}") : Invariant($"{mean:0.000} (95 % CI over test speakers {interval.Format()})");
        lines.Add(best.Mean > BaselineMean
            ? $"The highest mean {MetricLabel} is {best.Configuration}'s: {WithInterval(best.Mean, best.Interval)} against {WithInterval(BaselineMean, BaselineInterval)} for the {Baseline}."
            : $"No configuration has a higher mean {MetricLabel} than the {Baseline} ({WithInterval(BaselineMean, BaselineInterval)}); the best is {best.Configuration} ({WithInterval(best.Mean, best.Interval)}).");
        return string.Join(Environment.NewLine, lines.Select(line => Wrap(line, width)));
    }

    private static string Wrap(string paragraph, int width)
    {
        var wrapped = new System.Text.StringBuilder();
        var lineLength = 0;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineLength > 0 && lineLength + 1 + word.Length > width)
            {
                wrapped.Append(Environment.NewLine).Append("  ");
                lineLength = 2;
            }
            else if (lineLength > 0)
            {
                wrapped.Append(' ');
                lineLength++;
            }
            wrapped.Append(word);
            lineLength += word.Length;
        }
        return wrapped.ToString();
    }

    private string Verdict(BaselineFinding f)
    {
        if (double.IsNaN(f.TTestP))
        {
            return "not testable (fewer than 2 pairs)";
        }
        if (f.TTestPHolm < Alpha)
        {
            return $"{Direction(f)}, significant after Holm correction";
        }
        return f.TTestP < Alpha || f.WilcoxonP < Alpha
            ? $"{Direction(f)}, p < {Alpha.ToString("0.###", CultureInfo.InvariantCulture)} uncorrected"
            : "no significant difference";
    }

    private static string Direction(BaselineFinding f) => f.MeanDifference > 0 ? "higher" : f.MeanDifference < 0 ? "lower" : "equal";

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToArray();
        return list.Length <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
