using SerNotebooks.Evaluation.Statistics;

namespace SerNotebooks.Tests.Evaluation;

public class StatisticsTests
{
    [Theory]
    [InlineData(1.0, 1.0, 0.37)] // I_x(1,1) = x
    [InlineData(3.0, 1.0, 0.6)] // I_x(a,1) = x^a
    [InlineData(1.0, 4.0, 0.2)] // I_x(1,b) = 1 − (1−x)^b
    [InlineData(7.5, 7.5, 0.5)] // symmetric: 1/2
    public void IncompleteBetaMatchesClosedForms(double a, double b, double x)
    {
        var expected = (a, b) switch
        {
            (1, 1) => x,
            (_, 1) => Math.Pow(x, a),
            (1, _) => 1 - Math.Pow(1 - x, b),
            _ => 0.5,
        };
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), 13);
    }

    [Theory]
    // Reference values: scipy 1.10.1 special.betainc.
    [InlineData(5.0, 10.0, 0.3, 0.4157988137806497)]
    [InlineData(0.5, 0.5, 0.1, 0.2048327646991335)]
    [InlineData(200.0, 300.0, 0.41, 0.6776281647721865)]
    public void IncompleteBetaMatchesReferenceValues(double a, double b, double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), 11);

    [Fact]
    public void LogGammaMatchesFactorialsAndHalfIntegers()
    {
        Assert.Equal(Math.Log(120), SpecialFunctions.LogGamma(6), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 12);
        Assert.Equal(Math.Log(3628800), SpecialFunctions.LogGamma(11), 11);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.7)]
    [InlineData(6.3)]
    public void StudentTPValueMatchesClosedFormsForOneAndTwoDegreesOfFreedom(double t)
    {
        // df = 1 (Cauchy): p = 1 − (2/π)·atan|t|; df = 2: p = 1 − |t|/√(2 + t²).
        Assert.Equal(1 - 2 / Math.PI * Math.Atan(t), SpecialFunctions.StudentTTwoSidedPValue(t, 1), 12);
        Assert.Equal(1 - t / Math.Sqrt(2 + t * t), SpecialFunctions.StudentTTwoSidedPValue(-t, 2), 12);
    }

    [Fact]
    public void PairedTTestReproducesStudentsSleepData()
    {
        // Cushny & Peebles via Student (1908), R's `sleep`: t.test(extra ~ group, paired = TRUE)
        // gives t = -4.0621, df = 9, p-value = 0.002833.
        double[] drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
        double[] drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

        var result = PairedTTest.Run(drug1, drug2);

        Assert.Equal(10, result.Count);
        Assert.Equal(9, result.DegreesOfFreedom);
        Assert.Equal(-1.58, result.MeanDifference, 12);
        Assert.Equal(-4.062127683382037, result.T, 10);
        Assert.Equal(0.00283289019738427, result.PValue, 12);
    }

    [Fact]
    public void PairedTTestWithThreeSeedsMatchesScipy()
    {
        // scipy.stats.ttest_rel([0.61, 0.58, 0.64], [0.55, 0.57, 0.60]): t = 2.523573072576182, p = 0.12764325571004126.
        var result = PairedTTest.Run([0.61, 0.58, 0.64], [0.55, 0.57, 0.60]);

        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(2.523573072576182, result.T, 10);
        Assert.Equal(0.12764325571004126, result.PValue, 10);
    }

    [Fact]
    public void PairedTTestDegenerateCases()
    {
        var identical = PairedTTest.Run([0.5, 0.6, 0.7], [0.5, 0.6, 0.7]);
        Assert.Equal(1.0, identical.PValue);
        Assert.True(double.IsNaN(identical.T));

        var constantShift = PairedTTest.Run([1.5, 2.5, 3.5], [1, 2, 3]); // exactly representable differences
        Assert.Equal(0.0, constantShift.PValue);

        var single = PairedTTest.Run([0.6], [0.5]);
        Assert.True(double.IsNaN(single.PValue));

        Assert.Throws<ArgumentException>(() => PairedTTest.Run([0.6, 0.7], [0.5]));
    }

    [Fact]
    public void WilcoxonReproducesHollanderWolfeDepressionExample()
    {
        // Hollander & Wolfe (1973, p. 29), R's wilcox.test example: V = 40; one-sided p = 0.01953,
        // so the two-sided exact p is 2 × 10/512 = 0.0390625.
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        double[] y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

        var result = WilcoxonSignedRankTest.Run(x, y);

        Assert.Equal(9, result.Count);
        Assert.Equal(40, result.WPlus);
        Assert.Equal(5, result.WMinus);
        Assert.Equal(0.0390625, result.PValue, 14);
        Assert.False(result.HasTies);
    }

    [Fact]
    public void WilcoxonWithThreeSeedsCanNeverBeSignificant()
    {
        var result = WilcoxonSignedRankTest.Run([0.70, 0.71, 0.72], [0.50, 0.50, 0.50]);

        Assert.Equal(6, result.WPlus);
        Assert.Equal(0.25, result.PValue);
        Assert.Equal(0.25, result.MinimumAttainablePValue);
    }

    [Fact]
    public void WilcoxonHandlesTiesExactlyAndDropsZeroDifferences()
    {
        // d = 1, 1, 2, −3, 0 → zero dropped; ranks 1.5, 1.5, 3, 4; W+ = 6 of 10. Enumerating the 16 sign
        // assignments: 11 have W+ ≤ 6 and 6 have W+ ≥ 6, so p = 2·6/16 = 0.75.
        var result = WilcoxonSignedRankTest.Run([2, 3, 5, 1, 4], [1, 2, 3, 4, 4]);

        Assert.Equal(4, result.Count);
        Assert.Equal(1, result.ZeroDifferences);
        Assert.True(result.HasTies);
        Assert.Equal(6, result.WPlus);
        Assert.Equal(4, result.WMinus);
        Assert.Equal(0.75, result.PValue, 14);
    }

    [Fact]
    public void WilcoxonExactDistributionSumsToOneForManyPairs()
    {
        // 70 pairs, all positive: the only assignment with W+ = max, so p = 2/2^70 — beyond what long counts hold.
        var treatment = Enumerable.Range(1, 70).Select(i => 1.0 + i).ToArray();
        var baseline = Enumerable.Repeat(1.0, 70).ToArray();

        var result = WilcoxonSignedRankTest.Run(treatment, baseline);

        Assert.Equal(70 * 71 / 2.0, result.WPlus);
        Assert.Equal(1.0, result.PValue / (2 / Math.Pow(2, 70)), 12);
        Assert.Equal(1.0, WilcoxonSignedRankTest.Run(baseline, baseline).PValue);
    }

    [Fact]
    public void WilcoxonAllZeroDifferencesGivesPOne()
    {
        var result = WilcoxonSignedRankTest.Run([0.5, 0.6], [0.5, 0.6]);

        Assert.Equal(0, result.Count);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void MeanStdUsesSampleStandardDeviation()
    {
        var summary = MeanStd.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(5, summary.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7), summary.Std, 12);
        Assert.Equal("5.000 ± 2.138", summary.Format());
        Assert.True(double.IsNaN(MeanStd.Of([0.3]).Std));
        Assert.Equal("0.300", MeanStd.Of([0.3]).Format());
    }

    [Fact]
    public void HolmAdjustmentStepsDownKeepsTheOrderAndCapsAtOne()
    {
        // By hand, m = 5, sorted 0.01, 0.011, 0.02, 0.6, 0.7:
        //   5·0.01 = 0.05; 4·0.011 = 0.044 → max(0.05, 0.044) = 0.05 (the monotonicity step);
        //   3·0.02 = 0.06; 2·0.6 = 1.2 → 1 (the cap); 1·0.7 = 0.7 → max(1, 0.7) = 1.
        // statsmodels' multipletests(method='holm') algorithm transcribed in numpy 1.24 gives [0.06, 0.05, 0.05, 1, 1].
        var adjusted = HolmBonferroni.Adjust([0.02, 0.011, 0.01, 0.7, 0.6]);

        Assert.Equal([0.06, 0.05, 0.05, 1.0, 1.0], adjusted, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void HolmAdjustmentGivesTiesTheSameValueAndLeavesUndefinedTestsOutOfTheFamily()
    {
        // m = 4 defined p-values (the NaN is not a comparison that could be made): 4·0.001, 3·0.04, max(2·0.04, 0.12), 1·0.2.
        var adjusted = HolmBonferroni.Adjust([0.001, 0.04, double.NaN, 0.04, 0.2]);

        Assert.Equal(0.004, adjusted[0], 15);
        Assert.Equal(0.12, adjusted[1], 15);
        Assert.True(double.IsNaN(adjusted[2]));
        Assert.Equal(0.12, adjusted[3], 15);
        Assert.Equal(0.2, adjusted[4], 15);
        Assert.Empty(HolmBonferroni.Adjust([]));
        Assert.Equal([0.3], HolmBonferroni.Adjust([0.3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmBonferroni.Adjust([0.5, 1.5]));
    }

    [Theory]
    // Reference values: numpy 1.24 percentile(x, 100·q) (linear interpolation, the default) of the 7 values below.
    [InlineData(0.0, 0.1)]
    [InlineData(0.025, 0.115)]
    [InlineData(0.5, 0.3)]
    [InlineData(0.975, 0.8699999999999999)]
    [InlineData(1.0, 0.9)]
    public void QuantileInterpolatesLikeNumpy(double q, double expected)
    {
        double[] sorted = [0.1, 0.2, 0.25, 0.3, 0.5, 0.7, 0.9];

        Assert.Equal(expected, Quantile.OfSorted(sorted, q), 15);
    }

    [Fact]
    public void QuantileRefusesUnsortedOrEmptyInput()
    {
        Assert.Throws<ArgumentException>(() => Quantile.OfSorted([0.2, 0.1], 0.5));
        Assert.Throws<ArgumentException>(() => Quantile.OfSorted([], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantile.OfSorted([0.1], 1.5));
        Assert.Equal(0.4, Quantile.OfSorted([0.4], 0.975));
    }
}
