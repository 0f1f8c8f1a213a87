using System.Numerics;
using System.Runtime.CompilerServices;

namespace SerNotebooks.Features;

/// <summary>YIN pitch settings [ours]; the defaults cover adult and child speech.</summary>
public sealed record PitchConfig
{
    public double MinHz { get; init; } = 50.0;

    public double MaxHz { get; init; } = 500.0;

    /// <summary>
    /// YIN's absolute threshold on the cumulative-mean-normalised difference; de Cheveigné and Kawahara
    /// recommend 0.10–0.15. Lower is stricter about calling a frame voiced.
    /// </summary>
    public double Threshold { get; init; } = 0.15;

    /// <summary>YIN's integration window W in samples (400 = 25 ms at 16 kHz, the log-mel window).</summary>
    public int IntegrationWindow { get; init; } = 400;

    public void Validate(int sampleRate)
    {
        if (!(MinHz > 0 && MinHz < MaxHz && MaxHz < sampleRate / 2.0))
        {
            throw new ArgumentException($"PitchConfig needs 0 < MinHz ({MinHz}) < MaxHz ({MaxHz}) < Nyquist ({sampleRate / 2.0}).");
        }
        if (Threshold is <= 0 or >= 1)
        {
            throw new ArgumentException($"PitchConfig.Threshold must be in (0, 1), got {Threshold}.");
        }
        if (IntegrationWindow < 2)
        {
            throw new ArgumentException($"PitchConfig.IntegrationWindow must be ≥ 2, got {IntegrationWindow}.");
        }
    }

    public string CanonicalText() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"yin(min={MinHz:R};max={MaxHz:R};thr={Threshold:R};w={IntegrationWindow})");
}

/// <summary>F0 per log-mel frame. <see cref="F0Hz"/> is 0 where the frame is unvoiced.</summary>
public sealed record PitchTrack(float[] F0Hz, bool[] Voiced, float[] Aperiodicity);

/// <summary>
/// YIN (de Cheveigné &amp; Kawahara, 2002) on the log-mel framing: frame t analyses the W + τmax + 1
/// samples centred on sample t·hop (reflect-padded). Steps: difference function
/// d(τ) = Σ_{j&lt;W} (x_j − x_{j+τ})², cumulative-mean normalisation d'(τ) = d(τ)·τ / Σ_{i=1..τ} d(i),
/// the first τ in [sr/MaxHz, sr/MinHz] where d' dips below the threshold (followed down to its local
/// minimum), then parabolic interpolation. A frame is voiced when such a dip exists and, when a speech
/// mask is given, the frame is speech. Aperiodicity is d' at the chosen lag (the global minimum when unvoiced).
/// </summary>
public static class PitchTracker
{
    // Long-running loops called few times: compile fully optimised at once instead of via tier-0/OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PitchTrack Track(ReadOnlySpan<float> samples, LogMelConfig framing, PitchConfig? config = null, ReadOnlySpan<bool> speechMask = default)
    {
        ArgumentNullException.ThrowIfNull(framing);
        config ??= new PitchConfig();
        config.Validate(framing.SampleRate);
        if (samples.IsEmpty)
        {
            throw new ArgumentException("Cannot track pitch in an empty signal.", nameof(samples));
        }
        var frames = CenteredFraming.FrameCount(samples.Length, framing.HopLength);
        if (!speechMask.IsEmpty && speechMask.Length != frames)
        {
            throw new ArgumentException($"Speech mask has {speechMask.Length} frames, the signal {frames}.", nameof(speechMask));
        }
        var minLag = Math.Max(2, (int)Math.Floor(framing.SampleRate / config.MaxHz));
        var maxLag = (int)Math.Ceiling(framing.SampleRate / config.MinHz);
        var w = config.IntegrationWindow;
        var span = new double[w + maxLag + 2];
        var difference = new double[maxLag + 2];
        var normalised = new double[maxLag + 2];
        var f0 = new float[frames];
        var voiced = new bool[frames];
        var aperiodicity = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            CenteredFraming.CopyReflected(samples, t * framing.HopLength - span.Length / 2, span);
            DifferenceFunction(span, w, difference);
            Normalise(difference, normalised);
            var lag = FirstDip(normalised, minLag, maxLag, config.Threshold);
            var isVoiced = lag > 0 && (speechMask.IsEmpty || speechMask[t]);
            if (lag <= 0)
            {
                lag = GlobalMinimum(normalised, minLag, maxLag);
            }
            aperiodicity[t] = (float)normalised[lag];
            if (isVoiced)
            {
                voiced[t] = true;
                f0[t] = (float)(framing.SampleRate / Interpolate(normalised, lag));
            }
        }
        return new PitchTrack(f0, voiced, aperiodicity);
    }

    private static void DifferenceFunction(ReadOnlySpan<double> x, int w, Span<double> d)
    {
        d[0] = 0;
        var head = x[..w];
        for (var tau = 1; tau < d.Length; tau++)
        {
            d[tau] = SquaredDistance(head, x.Slice(tau, w));
        }
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var width = Vector<double>.Count;
        var accumulator = Vector<double>.Zero;
        var j = 0;
        for (; j <= a.Length - width; j += width)
        {
            var diff = new Vector<double>(a[j..]) - new Vector<double>(b[j..]);
            accumulator += diff * diff;
        }
        var sum = Vector.Sum(accumulator);
        for (; j < a.Length; j++)
        {
            var diff = a[j] - b[j];
            sum += diff * diff;
        }
        return sum;
    }

    private static void Normalise(ReadOnlySpan<double> d, Span<double> normalised)
    {
        normalised[0] = 1;
        var running = 0.0;
        for (var tau = 1; tau < d.Length; tau++)
        {
            running += d[tau];
            // A silent span has d ≡ 0; call it maximally aperiodic rather than dividing by zero.
            normalised[tau] = running > 0 ? d[tau] * tau / running : 1.0;
        }
    }

    private static int FirstDip(ReadOnlySpan<double> normalised, int minLag, int maxLag, double threshold)
    {
        for (var tau = minLag; tau <= maxLag; tau++)
        {
            if (normalised[tau] < threshold)
            {
                while (tau + 1 <= maxLag && normalised[tau + 1] < normalised[tau])
                {
                    tau++;
                }
                return tau;
            }
        }
        return -1;
    }

    private static int GlobalMinimum(ReadOnlySpan<double> normalised, int minLag, int maxLag)
    {
        var best = minLag;
        for (var tau = minLag + 1; tau <= maxLag; tau++)
        {
            if (normalised[tau] < normalised[best])
            {
                best = tau;
            }
        }
        return best;
    }

    private static double Interpolate(ReadOnlySpan<double> normalised, int lag)
    {
        var left = normalised[lag - 1];
        var centre = normalised[lag];
        var right = normalised[lag + 1];
        var curvature = left - 2 * centre + right;
        if (curvature <= 0)
        {
            return lag;
        }
        var shift = 0.5 * (left - right) / curvature;
        return lag + Math.Clamp(shift, -0.5, 0.5);
    }
}
