namespace SerNotebooks.Evaluation.Statistics;

/// <summary>
/// Sample quantiles by linear interpolation between order statistics: the q-quantile of sorted x₀ ≤ … ≤ xₙ₋₁ is
/// x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋) with h = (n − 1)q — numpy's default <c>percentile(..., method='linear')</c>
/// and R's <c>quantile(type = 7)</c>, so a reader can check an interval with either.
/// </summary>
public static class Quantile
{
    /// <summary>The <paramref name="q"/>-quantile (0 ≤ q ≤ 1) of <paramref name="sortedValues"/>, which must be sorted ascending.</summary>
    public static double OfSorted(IReadOnlyList<double> sortedValues, double q)
    {
        ArgumentNullException.ThrowIfNull(sortedValues);
        if (sortedValues.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sortedValues));
        }
        if (double.IsNaN(q) || q is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile level must lie in [0, 1].");
        }
        for (var i = 1; i < sortedValues.Count; i++)
        {
            if (!(sortedValues[i - 1] <= sortedValues[i]))
            {
                throw new ArgumentException($"Values must be sorted ascending and not NaN (position {i}).", nameof(sortedValues));
            }
        }
        var h = (sortedValues.Count - 1) * q;
        var below = (int)Math.Floor(h);
        if (below >= sortedValues.Count - 1)
        {
            return sortedValues[^1];
        }
        return sortedValues[below] + (h - below) * (sortedValues[below + 1] - sortedValues[below]);
    }
}
