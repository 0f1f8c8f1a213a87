using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class RealFftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    public void AgreesWithADirectDft(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var fft = new RealFft(n);
        var re = new double[fft.BinCount];
        var im = new double[fft.BinCount];
        fft.Forward(x, re, im);
        for (var k = 0; k <= n / 2; k++)
        {
            double expectedRe = 0, expectedIm = 0;
            for (var j = 0; j < n; j++)
            {
                expectedRe += x[j] * Math.Cos(2 * Math.PI * k * j / n);
                expectedIm -= x[j] * Math.Sin(2 * Math.PI * k * j / n);
            }
            Assert.Equal(expectedRe, re[k], 1e-9);
            Assert.Equal(expectedIm, im[k], 1e-9);
        }
    }
}
