using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Demo;

public class DemoRandomTests
{
    [Fact]
    public void Xoshiro256StarStarMatchesTheReferenceSequence()
    {
        // Reference implementation (Blackman and Vigna, xoshiro256starstar.c) from state {1, 2, 3, 4}.
        var random = DemoRandom.FromState(1, 2, 3, 4);
        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
        Assert.Equal(1509978240UL, random.NextUInt64());
        Assert.Equal(1215971899390074240UL, random.NextUInt64());
    }

    [Fact]
    public void SplitMix64MatchesItsReferenceFirstOutput() =>
        Assert.Equal(0xE220A8397B1DCDAFUL, DemoRandom.SplitMix64Next(0));

    [Fact]
    public void StreamsAreReproducibleAndIndependentOfEachOther()
    {
        static ulong[] Take(DemoRandom r) => Enumerable.Range(0, 8).Select(_ => r.NextUInt64()).ToArray();
        var a = Take(DemoRandom.ForStream(7, DemoStreamPart.UnlabelledClip, 3));
        Assert.Equal(a, Take(DemoRandom.ForStream(7, DemoStreamPart.UnlabelledClip, 3)));
        Assert.NotEqual(a, Take(DemoRandom.ForStream(7, DemoStreamPart.UnlabelledClip, 4)));
        Assert.NotEqual(a, Take(DemoRandom.ForStream(7, DemoStreamPart.CremaClip, 3)));
        Assert.NotEqual(a, Take(DemoRandom.ForStream(8, DemoStreamPart.UnlabelledClip, 3)));
        Assert.NotEqual(a, Take(DemoRandom.ForStream(7, DemoStreamPart.UnlabelledClip, 3, aspect: 1)));
    }

    [Fact]
    public void DistributionsHaveTheirMoments()
    {
        var random = new DemoRandom(42);
        const int n = 100_000;
        var gaussians = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
        var mean = gaussians.Average();
        var std = Math.Sqrt(gaussians.Sum(g => (g - mean) * (g - mean)) / n);
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);

        var counts = new int[6];
        for (var i = 0; i < 60_000; i++)
        {
            counts[random.NextInt(6)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));

        var uniforms = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        Assert.All(uniforms, u => Assert.InRange(u, 0.0, 0.9999999999));
        Assert.InRange(uniforms.Average(), 0.495, 0.505);
    }
}
