namespace SerNotebooks.Evaluation.Statistics;

/// <summary>
/// Result of the exact two-sided Wilcoxon signed-rank test. <see cref="Count"/> counts the non-zero differences
/// that were ranked; <see cref="ZeroDifferences"/> were dropped. <see cref="MinimumAttainablePValue"/> is the
/// smallest p-value any outcome could give with this many pairs: 2/2^n (0.25 for 3 seeds, 0.0625 for 5), so
/// with fewer than 6 non-zero pairs the test can never reach p &lt; 0.05.
/// </summary>
public sealed record WilcoxonSignedRankResult(
    int Count,
    int ZeroDifferences,
    double WPlus,
    double WMinus,
    double PValue,
    bool HasTies,
    double MinimumAttainablePValue);

/// <summary>
/// Exact Wilcoxon signed-rank test of paired samples (two-sided), the non-parametric companion of the paired
/// t-test. Zero differences are dropped (Wilcoxon's convention, scipy's default <c>zero_method='wilcox'</c>);
/// tied |differences| get average ranks, and the null distribution is enumerated exactly over all 2^n sign
/// assignments of those ranks (so ties are handled exactly, where scipy falls back to a normal approximation).
/// p = min(1, 2·min(P(W⁺ ≤ w), P(W⁺ ≥ w))). Without ties this equals scipy's <c>wilcoxon(mode='exact')</c>
/// and R's <c>wilcox.test(paired = TRUE, exact = TRUE)</c>.
/// </summary>
public static class WilcoxonSignedRankTest
{
    /// <summary>The null distribution is counted by subset sums in O(n³) time; beyond this many pairs that gets
    /// slow. Counts are doubles: exact integers up to 2^53 (n ≤ 52), beyond that relative error ~1e-16.</summary>
    public const int MaxExactPairs = 400;

    public static WilcoxonSignedRankResult Run(IReadOnlyList<double> treatment, IReadOnlyList<double> baseline)
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
        var nonZero = differences.Where(d => d != 0).ToArray();
        var zeros = differences.Length - nonZero.Length;
        var n = nonZero.Length;
        if (n > MaxExactPairs)
        {
            throw new ArgumentException($"{n} non-zero pairs: the exact test is limited to {MaxExactPairs}.");
        }
        if (n == 0)
        {
            return new WilcoxonSignedRankResult(0, zeros, 0, 0, 1.0, false, 1.0);
        }

        // Average ranks of |d|; doubled so that half ranks from ties become integers for the exact count.
        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(nonZero[i])).ToArray();
        var doubledRanks = new int[n];
        var hasTies = false;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && Math.Abs(nonZero[order[end + 1]]) == Math.Abs(nonZero[order[start]]))
            {
                end++;
            }
            hasTies |= end > start;
            var doubledAverageRank = start + 1 + end + 1; // 2 × (first rank + last rank) / 2
            for (var k = start; k <= end; k++)
            {
                doubledRanks[order[k]] = doubledAverageRank;
            }
            start = end + 1;
        }
        var doubledWPlus = Enumerable.Range(0, n).Where(i => nonZero[i] > 0).Sum(i => doubledRanks[i]);
        var doubledTotal = doubledRanks.Sum();

        // counts[s] = number of sign assignments whose positive doubled ranks sum to s.
        var counts = new double[doubledTotal + 1];
        counts[0] = 1;
        var reached = 0;
        foreach (var rank in doubledRanks)
        {
            for (var s = reached; s >= 0; s--)
            {
                if (counts[s] != 0)
                {
                    counts[s + rank] += counts[s];
                }
            }
            reached += rank;
        }
        var total = Math.Pow(2, n);
        double atMost = 0;
        double atLeast = 0;
        for (var s = 0; s <= doubledTotal; s++)
        {
            if (s <= doubledWPlus)
            {
                atMost += counts[s];
            }
            if (s >= doubledWPlus)
            {
                atLeast += counts[s];
            }
        }
        var p = Math.Min(1.0, 2 * Math.Min(atMost, atLeast) / total);
        var wPlus = doubledWPlus / 2.0;
        return new WilcoxonSignedRankResult(n, zeros, wPlus, doubledTotal / 2.0 - wPlus, p, hasTies, Math.Min(1.0, 2 / total));
    }
}
