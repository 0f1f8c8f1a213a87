using SerNotebooks.Audio;

namespace SerNotebooks.Tests.Demo;

/// <summary>Independent measurements on generated audio (not the generator's own parameters).</summary>
internal static class AcousticProbe
{
    private const int Window = 400; // 25 ms at 16 kHz
    private const int Hop = 160;    // 10 ms

    /// <summary>Frame energies in dB (25 ms / 10 ms), keeping frames within 35 dB of the loudest (speech frames).</summary>
    public static double[] SpeechFrameEnergiesDb(AudioSignal signal)
    {
        var energies = new List<double>();
        for (var start = 0; start + Window <= signal.Samples.Length; start += Hop)
        {
            var sum = 0.0;
            for (var i = 0; i < Window; i++)
            {
                var s = signal.Samples[start + i];
                sum += s * s;
            }
            energies.Add(10 * Math.Log10(sum / Window + 1e-12));
        }
        var max = energies.Max();
        return energies.Where(e => e > max - 35).ToArray();
    }

    /// <summary>Loudness as the 90th percentile of frame energy (dB): robust to how deep consonant dips go.</summary>
    public static double LoudnessDb(AudioSignal signal)
    {
        var e = SpeechFrameEnergiesDb(signal).Order().ToArray();
        return e[(int)(0.9 * (e.Length - 1))];
    }

    public static double SpeechEnergyStdDb(AudioSignal signal)
    {
        var e = SpeechFrameEnergiesDb(signal);
        var mean = e.Average();
        return Math.Sqrt(e.Sum(x => (x - mean) * (x - mean)) / e.Length);
    }

    /// <summary>Median F0 (Hz) over frames whose normalised autocorrelation peak exceeds 0.6; NaN when none.</summary>
    public static double MedianF0(AudioSignal signal)
    {
        const int frame = 400; // 25 ms
        const int step = 480;  // every 30 ms is plenty for a median
        int minLag = signal.SampleRate / 400, maxLag = signal.SampleRate / 70;
        var f0s = new List<double>();
        var x = signal.Samples;
        for (var start = 0; start + frame + maxLag < x.Length; start += step)
        {
            double energy = 0;
            for (var i = 0; i < frame; i++)
            {
                energy += x[start + i] * x[start + i];
            }
            if (energy / frame < 1e-6)
            {
                continue;
            }
            double best = 0;
            var bestLag = 0;
            for (var lag = minLag; lag <= maxLag; lag++)
            {
                double num = 0, e2 = 0;
                for (var i = 0; i < frame; i++)
                {
                    num += x[start + i] * x[start + i + lag];
                    e2 += x[start + i + lag] * x[start + i + lag];
                }
                var r = num / Math.Sqrt(energy * e2 + 1e-12);
                if (r > best)
                {
                    best = r;
                    bestLag = lag;
                }
            }
            if (best > 0.6)
            {
                f0s.Add(signal.SampleRate / (double)bestLag);
            }
        }
        if (f0s.Count == 0)
        {
            return double.NaN;
        }
        f0s.Sort();
        return f0s[f0s.Count / 2];
    }

    /// <summary>Spearman rank correlation.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        static double[] Ranks(IReadOnlyList<double> v)
        {
            var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Count];
            for (var r = 0; r < order.Length; r++)
            {
                ranks[order[r]] = r;
            }
            return ranks;
        }
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        var cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(x => (x - mb) * (x - mb)));
    }
}
