using SerNotebooks.Charts;

namespace SerNotebooks.Tests.Charts;

public class WaveformEnvelopeTests
{
    [Fact]
    public void KeepsEveryPeakWhileReducingTheNumberOfPoints()
    {
        var samples = new float[48_000];
        samples[12_345] = 0.9f;
        samples[40_000] = -0.7f;

        var envelope = WaveformEnvelope.Of(samples, 16_000, maxBuckets: 1000);

        Assert.True(envelope.Times.Length <= 1000);
        Assert.Equal(0.9, envelope.Maximum.Max(), 6);
        Assert.Equal(-0.7, envelope.Minimum.Min(), 6);
        // 48 samples per bucket: the peak at sample 12,345 lies in the bucket starting at sample 12,336.
        var peakBucket = Array.IndexOf(envelope.Maximum, envelope.Maximum.Max());
        Assert.Equal(12_336 / 16_000.0, envelope.Times[peakBucket], 9);
    }

    [Fact]
    public void ShortSignalsKeepOneBucketPerSample()
    {
        float[] samples = [0.1f, -0.2f, 0.3f];

        var envelope = WaveformEnvelope.Of(samples, 10, maxBuckets: 2000);

        Assert.Equal([0.0, 0.1, 0.2], envelope.Times);
        Assert.Equal(samples.Select(s => (double)s), envelope.Minimum);
        Assert.Equal(envelope.Minimum, envelope.Maximum);
    }
}

public class HistogramTests
{
    [Fact]
    public void CountsEveryValueInRangeOnceWithTheTopEdgeInTheLastBin()
    {
        var histogram = Histogram.Of([0.0, 0.5, 1.0, 2.5, 4.0, double.NaN], bins: 4);

        Assert.Equal([0.0, 1.0, 2.0, 3.0, 4.0], histogram.Edges);
        Assert.Equal([2, 1, 1, 1], histogram.Counts);
        Assert.Equal([0.5, 1.5, 2.5, 3.5], histogram.Centres);
    }

    [Fact]
    public void LeavesOutValuesOutsideAnExplicitRangeAndWidensADegenerateOne()
    {
        Assert.Equal([1, 0], Histogram.Of([0.5, 5.0], bins: 2, min: 0, max: 2).Counts);
        var constant = Histogram.Of([3.0, 3.0], bins: 1);
        Assert.Equal([2.5, 3.5], constant.Edges);
        Assert.Equal([2], constant.Counts);
    }
}
