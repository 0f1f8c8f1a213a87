namespace SerNotebooks.Evaluation.Statistics;

/// <summary>
/// Result of a two-sided paired t-test on differences d_i = treatment_i − baseline_i.
/// <see cref="T"/> is NaN when it is undefined (fewer than 2 pairs, or all differences zero), +/−∞ when every
/// difference is the same non-zero value.
/// </summary>
public sealed record PairedTTestResult(int Count, double MeanDifference, double StdDifference, double T, int DegreesOfFreedom, double PValue);

/// <summary>
/// Student's paired t-test: t = mean(d) / (sd(d)/√n) with n − 1 degrees of freedom and the exact two-sided
/// p-value from the t distribution (via the regularised incomplete beta). Same numbers as scipy's
/// <c>ttest_rel</c> and R's <c>t.test(paired = TRUE)</c>. Assumes the differences are roughly normal;
/// with 3 seeds it has 2 degrees of freedom and detects only large, consistent effects.
/// </summary>
public static class PairedTTest
{
    public static PairedTTestResult Run(IReadOnlyList<double> treatment, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(baseline);
        if (treatment.Count != baseline.Count)
        {
            throw new ArgumentException($"{treatment.Count} treatment values but {baseline.Count} baseline values: a paired test needs matched pairs.");
        }
        var differences = treatment.Zip(baseline, (t, b) => t - b).ToArray();
        if (differences.Any(d => !double.IsFinite(d)))
        {
            throw new ArgumentException("A value is NaN or infinite.");
        }
        var n = differences.Length;
        var summary = MeanStd.Of(differences);
        if (n < 2)
        {
            return new PairedTTestResult(n, summary.Mean, summary.Std, double.NaN, Math.Max(n - 1, 0), double.NaN);
        }
        if (summary.Std == 0)
        {
            // No spread: identical results give no evidence of a difference (p = 1); a constant non-zero
            // shift is the limit t → ±∞ (p = 0).
            return summary.Mean == 0
                ? new PairedTTestResult(n, 0, 0, double.NaN, n - 1, 1.0)
                : new PairedTTestResult(n, summary.Mean, 0, summary.Mean > 0 ? double.PositiveInfinity : double.NegativeInfinity, n - 1, 0.0);
        }
        var t = summary.Mean / (summary.Std / Math.Sqrt(n));
        return new PairedTTestResult(n, summary.Mean, summary.Std, t, n - 1, SpecialFunctions.StudentTTwoSidedPValue(t, n - 1));
    }
}
