namespace SerNotebooks.Pretext;

/// <summary>Agreement and information measures between two labelings of the same items.</summary>
public static class LabelStatistics
{
    /// <summary>Counts[i, j]: items with value i in the first labeling and j in the second.</summary>
    public static long[,] Contingency(IReadOnlyList<int> first, IReadOnlyList<int> second, int firstClasses, int secondClasses)
    {
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"labelings differ in length ({first.Count} vs {second.Count})");
        }
        var counts = new long[firstClasses, secondClasses];
        for (var i = 0; i < first.Count; i++)
        {
            counts[first[i], second[i]]++;
        }
        return counts;
    }

    /// <summary>Share of items on the diagonal (both labelings give the same class index).</summary>
    public static double Agreement(long[,] counts)
    {
        var n = Total(counts);
        if (n == 0)
        {
            return double.NaN;
        }
        long diagonal = 0;
        for (var i = 0; i < Math.Min(counts.GetLength(0), counts.GetLength(1)); i++)
        {
            diagonal += counts[i, i];
        }
        return diagonal / (double)n;
    }

    /// <summary>
    /// Cohen's kappa, (p_o − p_e)/(1 − p_e), for two labelings over the same classes (a square table).
    /// When both labelings put everything in one class (p_e = 1), kappa is undefined: NaN.
    /// </summary>
    public static double CohensKappa(long[,] counts)
    {
        var k = counts.GetLength(0);
        if (counts.GetLength(1) != k)
        {
            throw new ArgumentException("Cohen's kappa needs the same classes on both sides");
        }
        var n = (double)Total(counts);
        if (n == 0)
        {
            return double.NaN;
        }
        var (rows, columns) = Marginals(counts);
        double observed = 0, expected = 0;
        for (var i = 0; i < k; i++)
        {
            observed += counts[i, i] / n;
            expected += rows[i] / n * (columns[i] / n);
        }
        return 1 - expected < 1e-12 ? double.NaN : (observed - expected) / (1 - expected);
    }

    /// <summary>Mutual information in bits.</summary>
    public static double MutualInformation(long[,] counts)
    {
        var n = (double)Total(counts);
        if (n == 0)
        {
            return double.NaN;
        }
        var (rows, columns) = Marginals(counts);
        double mi = 0;
        for (var i = 0; i < counts.GetLength(0); i++)
        {
            for (var j = 0; j < counts.GetLength(1); j++)
            {
                if (counts[i, j] == 0)
                {
                    continue;
                }
                var p = counts[i, j] / n;
                mi += p * Math.Log2(p / (rows[i] / n * (columns[j] / n)));
            }
        }
        return Math.Max(0, mi);
    }

    /// <summary>
    /// Normalised mutual information, I(X;Y) / ((H(X) + H(Y)) / 2) — the arithmetic-mean normalisation that
    /// scikit-learn's <c>normalized_mutual_info_score</c> uses by default. 1 when one labeling determines the
    /// other, 0 when independent; 1 when both are constant (as scikit-learn), 0 when only one is.
    /// </summary>
    public static double NormalisedMutualInformation(long[,] counts)
    {
        var n = (double)Total(counts);
        if (n == 0)
        {
            return double.NaN;
        }
        var (rows, columns) = Marginals(counts);
        var hx = Entropy(rows, n);
        var hy = Entropy(columns, n);
        if (hx < 1e-15 && hy < 1e-15)
        {
            return 1;
        }
        var denominator = 0.5 * (hx + hy);
        return Math.Clamp(MutualInformation(counts) / denominator, 0, 1);
    }

    private static double Entropy(long[] counts, double n)
    {
        double h = 0;
        foreach (var c in counts)
        {
            if (c > 0)
            {
                var p = c / n;
                h -= p * Math.Log2(p);
            }
        }
        return h;
    }

    private static long Total(long[,] counts)
    {
        long n = 0;
        foreach (var c in counts)
        {
            n += c;
        }
        return n;
    }

    private static (long[] Rows, long[] Columns) Marginals(long[,] counts)
    {
        var rows = new long[counts.GetLength(0)];
        var columns = new long[counts.GetLength(1)];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < columns.Length; j++)
            {
                rows[i] += counts[i, j];
                columns[j] += counts[i, j];
            }
        }
        return (rows, columns);
    }
}
