using System.Runtime.CompilerServices;

namespace SerNotebooks.Features;

/// <summary>
/// Frame log-energy on the log-mel framing: for frame t, the WinLength samples under the (unweighted)
/// analysis window centred on sample t·hop, reflect-padded at the edges exactly like the spectrogram, give
/// E_t = 10·log10(max(mean(x²), 1e-10)) in dB relative to a full-scale (±1) DC signal. A full-scale sine
/// is −3.01 dB; digital silence is −100 dB. A rectangular window keeps the value an exact mean power, so
/// a constant-amplitude signal gives a known number; the log-mel frames and these frames line up one to one.
/// </summary>
public static class FrameEnergy
{
    /// <summary>Mean-power floor before the log: −100 dB, below 16-bit quantisation noise.</summary>
    public const double PowerFloor = 1e-10;

    // Long-running loops called few times: compile fully optimised at once instead of via tier-0/OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] ComputeDb(ReadOnlySpan<float> samples, LogMelConfig framing)
    {
        ArgumentNullException.ThrowIfNull(framing);
        framing.Validate();
        if (samples.IsEmpty)
        {
            throw new ArgumentException("Cannot compute the energy of an empty signal.", nameof(samples));
        }
        var frames = CenteredFraming.FrameCount(samples.Length, framing.HopLength);
        var window = new double[framing.WinLength];
        var energies = new float[frames];
        var offset = (framing.NFft - framing.WinLength) / 2 - framing.NFft / 2;
        for (var t = 0; t < frames; t++)
        {
            CenteredFraming.CopyReflected(samples, t * framing.HopLength + offset, window);
            var sum = 0.0;
            foreach (var x in window)
            {
                sum += x * x;
            }
            energies[t] = (float)(10.0 * Math.Log10(Math.Max(sum / window.Length, PowerFloor)));
        }
        return energies;
    }
}

/// <summary>
/// Speech/non-speech decision per frame from frame energy [ours]: a frame is speech when its energy is
/// within <see cref="RelativeThresholdDb"/> of the clip's loudest frame and above
/// <see cref="AbsoluteThresholdDb"/> (so a clip of digital silence or faint hiss has no speech frames).
/// </summary>
public sealed record SpeechMaskConfig
{
    public double RelativeThresholdDb { get; init; } = 35.0;

    public double AbsoluteThresholdDb { get; init; } = -80.0;

    public bool[] Compute(ReadOnlySpan<float> frameEnergyDb)
    {
        if (RelativeThresholdDb < 0)
        {
            throw new ArgumentException($"RelativeThresholdDb must be ≥ 0, got {RelativeThresholdDb}.");
        }
        var loudest = float.NegativeInfinity;
        foreach (var e in frameEnergyDb)
        {
            loudest = Math.Max(loudest, e);
        }
        var threshold = Math.Max(loudest - RelativeThresholdDb, AbsoluteThresholdDb);
        var mask = new bool[frameEnergyDb.Length];
        for (var t = 0; t < mask.Length; t++)
        {
            mask[t] = frameEnergyDb[t] >= threshold;
        }
        return mask;
    }

    public string CanonicalText() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"speech(rel={RelativeThresholdDb:R};abs={AbsoluteThresholdDb:R})");
}
