using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class MelFilterbankTests
{
    private static readonly LogMelConfig Config = new();
    private static readonly MelFilterbank Bank = new(Config);

    [Fact]
    public void HasOneWeightRowPerFftBinAndNoEmptyBand()
    {
        Assert.Equal(257, Bank.BinCount);
        Assert.Equal(64, Bank.BandCount);
        Assert.Empty(Bank.EmptyBands());
    }

    [Fact]
    public void EachFilterIsATriangleBetweenItsNeighbouringEdges()
    {
        var edges = MelFilterbank.EdgeFrequencies(Config);
        Assert.Equal(66, edges.Length);
        Assert.Equal(0.0, edges[0], 1e-9);
        Assert.Equal(8000.0, edges[^1], 1e-6);
        for (var m = 0; m < 64; m++)
        {
            var weights = Enumerable.Range(0, 257).Select(k => Bank.Weight(k, m)).ToArray();
            var peak = Array.IndexOf(weights, weights.Max());
            for (var k = 0; k < 257; k++)
            {
                var f = MelFilterbank.BinFrequency(k, Config);
                Assert.InRange(weights[k], 0.0, 1.0);
                if (f <= edges[m] || f >= edges[m + 2])
                {
                    Assert.Equal(0.0, weights[k]);
                }
                // Rises up to the peak, falls after it.
                if (k > 0 && k <= peak)
                {
                    Assert.True(weights[k] >= weights[k - 1], $"band {m} not rising at bin {k}");
                }
                if (k > peak)
                {
                    Assert.True(weights[k] <= weights[k - 1], $"band {m} not falling at bin {k}");
                }
            }
            Assert.InRange(MelFilterbank.BinFrequency(peak, Config), edges[m], edges[m + 2]);
        }
    }

    [Fact]
    public void UnnormalisedTrianglesSumToOneBetweenTheFirstAndLastPeaks()
    {
        var edges = MelFilterbank.EdgeFrequencies(Config);
        for (var k = 0; k < 257; k++)
        {
            var f = MelFilterbank.BinFrequency(k, Config);
            if (f >= edges[1] && f <= edges[64])
            {
                var sum = Enumerable.Range(0, 64).Sum(m => Bank.Weight(k, m));
                Assert.Equal(1.0, sum, 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(700.0, 781.1728)]
    [InlineData(1000.0, 999.9855)]
    [InlineData(8000.0, 2840.0230)]
    public void HtkMelScaleMatchesTheFormula(double hz, double mel)
    {
        Assert.Equal(mel, MelFilterbank.HzToMel(hz, MelScale.Htk), 1e-3);
        Assert.Equal(hz, MelFilterbank.MelToHz(mel, MelScale.Htk), 1e-2);
    }

    [Fact]
    public void SlaneyNormalisationGivesEveryFilterTheSameArea()
    {
        var config = new LogMelConfig { Norm = MelNorm.Slaney, NFft = 4096 };
        var bank = new MelFilterbank(config);
        var binWidth = MelFilterbank.BinFrequency(1, config);
        var areas = Enumerable.Range(0, 64).Select(m => Enumerable.Range(0, bank.BinCount).Sum(k => bank.Weight(k, m)) * binWidth).ToArray();
        Assert.All(areas, a => Assert.Equal(1.0, a, 0.05));
    }
}
