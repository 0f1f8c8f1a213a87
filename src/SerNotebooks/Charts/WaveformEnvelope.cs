namespace SerNotebooks.Charts;

/// <summary>
/// A waveform reduced to at most a given number of time buckets, each keeping its minimum and maximum sample:
/// drawn as vertical strokes it looks like the full waveform (every peak survives) at a fraction of the points a
/// browser would otherwise have to draw (48,000 per second of 16 kHz audio).
/// </summary>
/// <param name="Times">Start time of each bucket (seconds).</param>
/// <param name="Minimum">Smallest sample in each bucket.</param>
/// <param name="Maximum">Largest sample in each bucket.</param>
public sealed record WaveformEnvelope(double[] Times, double[] Minimum, double[] Maximum)
{
    public static WaveformEnvelope Of(IReadOnlyList<float> samples, int sampleRate, int maxBuckets = 2000)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBuckets);
        var perBucket = Math.Max(1, (int)Math.Ceiling(samples.Count / (double)maxBuckets));
        var buckets = (samples.Count + perBucket - 1) / perBucket;
        var times = new double[buckets];
        var min = new double[buckets];
        var max = new double[buckets];
        for (var b = 0; b < buckets; b++)
        {
            var start = b * perBucket;
            var end = Math.Min(samples.Count, start + perBucket);
            var lo = double.PositiveInfinity;
            var hi = double.NegativeInfinity;
            for (var i = start; i < end; i++)
            {
                lo = Math.Min(lo, samples[i]);
                hi = Math.Max(hi, samples[i]);
            }
            times[b] = start / (double)sampleRate;
            min[b] = lo;
            max[b] = hi;
        }
        return new WaveformEnvelope(times, min, max);
    }
}
