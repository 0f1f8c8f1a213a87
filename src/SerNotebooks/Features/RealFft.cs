namespace SerNotebooks.Features;

/// <summary>
/// Forward DFT of a real sequence whose length N is a power of two, computed as one N/2-point complex
/// radix-2 FFT of the even/odd samples packed as real/imaginary parts, then split into the N/2 + 1
/// non-redundant bins. All tables are built once; <see cref="Forward"/> allocates nothing, and one
/// instance can be shared by threads because it holds no mutable state.
/// </summary>
public sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReversed;
    private readonly double[] _cos;      // cos(2πj/M), j < M/2, for the M-point complex stages
    private readonly double[] _sin;
    private readonly double[] _splitCos; // cos(2πk/N), k ≤ M/2, for the real-spectrum split
    private readonly double[] _splitSin;

    public RealFft(int length)
    {
        if (length < 2 || (length & (length - 1)) != 0)
        {
            throw new ArgumentException($"FFT length must be a power of two ≥ 2, got {length}.", nameof(length));
        }
        Length = length;
        _half = length / 2;
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReversed = new int[_half];
        for (var i = 0; i < _half; i++)
        {
            var reversed = 0;
            for (var b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }
            _bitReversed[i] = reversed;
        }
        _cos = new double[Math.Max(1, _half / 2)];
        _sin = new double[_cos.Length];
        for (var j = 0; j < _cos.Length; j++)
        {
            var angle = 2 * Math.PI * j / _half;
            _cos[j] = Math.Cos(angle);
            _sin[j] = Math.Sin(angle);
        }
        _splitCos = new double[_half / 2 + 1];
        _splitSin = new double[_splitCos.Length];
        for (var k = 0; k < _splitCos.Length; k++)
        {
            var angle = 2 * Math.PI * k / length;
            _splitCos[k] = Math.Cos(angle);
            _splitSin[k] = Math.Sin(angle);
        }
    }

    /// <summary>N, the number of real input samples.</summary>
    public int Length { get; }

    /// <summary>N/2 + 1, the number of output bins (DC to Nyquist).</summary>
    public int BinCount => _half + 1;

    /// <summary>
    /// X[k] = Σ_n x[n]·e^(−2πi·k·n/N) for k = 0..N/2 (unnormalised, like torch.stft with normalized=False).
    /// </summary>
    public void Forward(ReadOnlySpan<double> input, Span<double> real, Span<double> imaginary)
    {
        if (input.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} input samples, got {input.Length}.", nameof(input));
        }
        if (real.Length < BinCount || imaginary.Length < BinCount)
        {
            throw new ArgumentException($"Output spans must hold {BinCount} bins.");
        }
        var m = _half;
        for (var i = 0; i < m; i++)
        {
            var j = _bitReversed[i];
            real[j] = input[2 * i];
            imaginary[j] = input[2 * i + 1];
        }
        ComplexStages(real[..m], imaginary[..m]);
        Split(real, imaginary);
    }

    private void ComplexStages(Span<double> re, Span<double> im)
    {
        var m = re.Length;
        for (var size = 2; size <= m; size <<= 1)
        {
            var halfSize = size >> 1;
            var step = m / size;
            for (var start = 0; start < m; start += size)
            {
                for (var j = 0; j < halfSize; j++)
                {
                    var wr = _cos[j * step];
                    var wi = -_sin[j * step];
                    var a = start + j;
                    var b = a + halfSize;
                    var tr = wr * re[b] - wi * im[b];
                    var ti = wr * im[b] + wi * re[b];
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    // With Z = FFT(x_even + i·x_odd): E_k = (Z_k + conj Z_{M−k})/2 is the even samples' spectrum and
    // O_k = (Z_k − conj Z_{M−k})/(2i) the odd samples'; X_k = E_k + W^k O_k and X_{M−k} = conj(E_k − W^k O_k),
    // so each pair (k, M−k) is finished in place from the two values it reads.
    private void Split(Span<double> re, Span<double> im)
    {
        var m = _half;
        var z0r = re[0];
        var z0i = im[0];
        re[0] = z0r + z0i;
        im[0] = 0;
        re[m] = z0r - z0i;
        im[m] = 0;
        for (var k = 1; k <= m / 2; k++)
        {
            var a = re[k];
            var b = im[k];
            var c = re[m - k];
            var d = im[m - k];
            var er = 0.5 * (a + c);
            var ei = 0.5 * (b - d);
            var or = 0.5 * (b + d);
            var oi = -0.5 * (a - c);
            var wr = _splitCos[k];
            var wi = -_splitSin[k];
            var wor = wr * or - wi * oi;
            var woi = wr * oi + wi * or;
            re[k] = er + wor;
            im[k] = ei + woi;
            re[m - k] = er - wor;
            im[m - k] = -(ei - woi);
        }
    }
}
