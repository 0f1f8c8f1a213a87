using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Pretext;

public class LabelStatisticsTests
{
    [Fact]
    public void KappaAndAgreementMatchTheTextbookFormula()
    {
        // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4.
        long[,] counts = { { 20, 5 }, { 10, 15 } };
        Assert.Equal(0.7, LabelStatistics.Agreement(counts), 12);
        Assert.Equal(0.4, LabelStatistics.CohensKappa(counts), 12);
    }

    [Fact]
    public void NmiIsOneForARelabellingAndZeroForIndependence()
    {
        long[,] swapped = { { 0, 10 }, { 10, 0 } };
        Assert.Equal(1.0, LabelStatistics.NormalisedMutualInformation(swapped), 12);
        Assert.Equal(1.0, LabelStatistics.MutualInformation(swapped), 12);
        Assert.Equal(-1.0, LabelStatistics.CohensKappa(swapped), 12);

        long[,] independent = { { 6, 3 }, { 10, 5 }, { 2, 1 } };
        Assert.Equal(0.0, LabelStatistics.MutualInformation(independent), 12);
        Assert.Equal(0.0, LabelStatistics.NormalisedMutualInformation(independent), 12);
    }

    [Fact]
    public void NmiUsesTheArithmeticMeanOfTheEntropies()
    {
        // 3 emotions × 2 classes; H(X) = log2 3, H(Y) = 1, I = H(Y) − H(Y|X) = 1 − (1/3)·1 = 2/3.
        long[,] counts = { { 10, 0 }, { 0, 10 }, { 5, 5 } };
        var expected = (2.0 / 3) / (0.5 * (Math.Log2(3) + 1));
        Assert.Equal(2.0 / 3, LabelStatistics.MutualInformation(counts), 12);
        Assert.Equal(expected, LabelStatistics.NormalisedMutualInformation(counts), 12);
    }

    [Fact]
    public void ContingencyCountsPairs()
    {
        var table = LabelStatistics.Contingency([0, 1, 1, 2], [1, 1, 0, 1], 3, 2);
        Assert.Equal(1, table[0, 1]);
        Assert.Equal(1, table[1, 0]);
        Assert.Equal(1, table[1, 1]);
        Assert.Equal(1, table[2, 1]);
        Assert.Throws<ArgumentException>(() => LabelStatistics.Contingency([0], [0, 1], 2, 2));
    }
}
