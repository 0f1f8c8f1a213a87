namespace SerNotebooks.Features;

/// <summary>
/// Triangular mel filters on the FFT bin frequencies, built exactly as torchaudio's
/// <c>functional.melscale_fbanks</c>: NMels + 2 points equally spaced on the mel scale between FMin and
/// FMax are mapped back to Hz (f_0 … f_{M+1}); filter m rises linearly from f_m to a peak of 1 at
/// f_{m+1} and falls to 0 at f_{m+2}, evaluated at the bin frequencies k·(sr/2)/(nFft/2), k = 0..nFft/2.
/// Only the non-zero span of each filter is stored, so applying the bank costs one multiply per
/// non-zero weight.
/// </summary>
public sealed class MelFilterbank
{
    private readonly int[] _firstBin;
    private readonly double[][] _weights;

    public MelFilterbank(LogMelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        BinCount = config.NFft / 2 + 1;
        BandCount = config.NMels;
        var dense = DenseWeights(config);
        _firstBin = new int[BandCount];
        _weights = new double[BandCount][];
        for (var m = 0; m < BandCount; m++)
        {
            var first = 0;
            while (first < BinCount && dense[first, m] == 0)
            {
                first++;
            }
            var last = BinCount - 1;
            while (last >= first && dense[last, m] == 0)
            {
                last--;
            }
            _firstBin[m] = first;
            _weights[m] = new double[Math.Max(0, last - first + 1)];
            for (var k = first; k <= last; k++)
            {
                _weights[m][k - first] = dense[k, m];
            }
        }
    }

    public int BinCount { get; }

    public int BandCount { get; }

    /// <summary>Weight of FFT bin <paramref name="bin"/> in mel band <paramref name="band"/> (torchaudio's fb[bin, band]).</summary>
    public double Weight(int bin, int band)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)bin, (uint)BinCount, nameof(bin));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)band, (uint)BandCount, nameof(band));
        var offset = bin - _firstBin[band];
        var weights = _weights[band];
        return offset >= 0 && offset < weights.Length ? weights[offset] : 0.0;
    }

    /// <summary>Bands whose triangle falls between two bin frequencies and so have no non-zero weight.</summary>
    public IReadOnlyList<int> EmptyBands() =>
        Enumerable.Range(0, BandCount).Where(m => _weights[m].Length == 0).ToArray();

    /// <summary>mel[m] = Σ_k fb[k, m] · spectrum[k].</summary>
    public void Apply(ReadOnlySpan<double> spectrum, Span<double> mel)
    {
        for (var m = 0; m < BandCount; m++)
        {
            var weights = _weights[m];
            var bins = spectrum.Slice(_firstBin[m], weights.Length);
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * bins[i];
            }
            mel[m] = sum;
        }
    }

    public static double HzToMel(double hz, MelScale scale) => scale switch
    {
        MelScale.Htk => 2595.0 * Math.Log10(1.0 + hz / 700.0),
        MelScale.Slaney => hz < SlaneyLogStartHz
            ? hz / SlaneyLinearHzPerMel
            : SlaneyLogStartMel + Math.Log(hz / SlaneyLogStartHz) / SlaneyLogStep,
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, null),
    };

    public static double MelToHz(double mel, MelScale scale) => scale switch
    {
        MelScale.Htk => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0),
        MelScale.Slaney => mel < SlaneyLogStartMel
            ? mel * SlaneyLinearHzPerMel
            : SlaneyLogStartHz * Math.Exp(SlaneyLogStep * (mel - SlaneyLogStartMel)),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, null),
    };

    /// <summary>The NMels + 2 filter edge frequencies f_0 … f_{M+1} in Hz (filter m peaks at f_{m+1}).</summary>
    public static double[] EdgeFrequencies(LogMelConfig config)
    {
        var melMin = HzToMel(config.FMin, config.MelScale);
        var melMax = HzToMel(config.FMax, config.MelScale);
        var points = config.NMels + 2;
        var edges = new double[points];
        for (var i = 0; i < points; i++)
        {
            edges[i] = MelToHz(melMin + (melMax - melMin) * i / (points - 1), config.MelScale);
        }
        return edges;
    }

    /// <summary>Frequency of FFT bin k: torchaudio's linspace(0, sample_rate // 2, n_fft // 2 + 1).</summary>
    public static double BinFrequency(int bin, LogMelConfig config) =>
        bin * (double)(config.SampleRate / 2) / (config.NFft / 2);

    private static double[,] DenseWeights(LogMelConfig config)
    {
        var bins = config.NFft / 2 + 1;
        var edges = EdgeFrequencies(config);
        var weights = new double[bins, config.NMels];
        for (var k = 0; k < bins; k++)
        {
            var f = BinFrequency(k, config);
            for (var m = 0; m < config.NMels; m++)
            {
                var down = (f - edges[m]) / (edges[m + 1] - edges[m]);
                var up = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                var w = Math.Max(0.0, Math.Min(down, up));
                if (config.Norm == MelNorm.Slaney)
                {
                    w *= 2.0 / (edges[m + 2] - edges[m]);
                }
                weights[k, m] = w;
            }
        }
        return weights;
    }

    private const double SlaneyLinearHzPerMel = 200.0 / 3.0;
    private const double SlaneyLogStartHz = 1000.0;
    private const double SlaneyLogStartMel = SlaneyLogStartHz / SlaneyLinearHzPerMel;
    private static readonly double SlaneyLogStep = Math.Log(6.4) / 27.0;
}
