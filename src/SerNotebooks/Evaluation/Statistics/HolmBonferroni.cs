namespace SerNotebooks.Evaluation.Statistics;

/// <summary>
/// Holm–Bonferroni step-down adjustment of a family of p-values (Holm 1979), as statsmodels'
/// <c>multipletests(p, method='holm')</c> and R's <c>p.adjust(p, "holm")</c>: with the m defined p-values sorted
/// ascending, p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎). Rejecting where p̃ &lt; α bounds the chance of any false
/// positive in the family by α, like Bonferroni, but rejects at least as much (Bonferroni multiplies every p by m).
/// </summary>
public static class HolmBonferroni
{
    /// <summary>
    /// The adjusted p-values, in the order of <paramref name="pValues"/>. A NaN (an undefined test, e.g. fewer than 2
    /// pairs) is not a member of the family: it stays NaN and does not count in m.
    /// </summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        foreach (var p in pValues)
        {
            if (!double.IsNaN(p) && p is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), p, "a p-value must lie in [0, 1] (or be NaN for an undefined test).");
            }
        }
        var adjusted = Enumerable.Repeat(double.NaN, pValues.Count).ToArray();
        // A stable sort: tied p-values keep their input order, and get the same adjusted value either way.
        var defined = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToArray();
        var m = defined.Length;
        var runningMax = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = defined[rank];
            // The step-down max keeps the adjusted values in the order of the raw ones (monotone), the min caps them at 1.
            runningMax = Math.Max(runningMax, Math.Min(1.0, (m - rank) * pValues[index]));
            adjusted[index] = runningMax;
        }
        return adjusted;
    }
}
