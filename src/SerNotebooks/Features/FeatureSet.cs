using System.Security.Cryptography;
using System.Text;

namespace SerNotebooks.Features;

/// <summary>Everything the front end computes for one clip, frame-aligned (one entry per log-mel frame).</summary>
public sealed record FeatureSet(FeatureMatrix LogMel, float[] LogEnergyDb, bool[] SpeechMask, PitchTrack? Pitch, int SampleCount, int SampleRate)
{
    public int Frames => LogMel.Frames;

    public double DurationSeconds => SampleCount / (double)SampleRate;
}

/// <summary>All settings that determine a <see cref="FeatureSet"/>; its hash is part of the cache key.</summary>
public sealed record FeatureExtractorConfig
{
    /// <summary>
    /// Bumped whenever the computation changes in a way the settings do not capture (a bug fix, a new
    /// output), so caches written by older code stop matching instead of being trusted.
    /// </summary>
    public const string AlgorithmVersion = "sernb-features-1";

    public LogMelConfig LogMel { get; init; } = new();

    public SpeechMaskConfig SpeechMask { get; init; } = new();

    /// <summary>YIN settings, or null to skip F0 (it costs more than the log-mel itself).</summary>
    public PitchConfig? Pitch { get; init; }

    public string CanonicalText() =>
        $"{AlgorithmVersion};{LogMel.CanonicalText()};energy(rect-window;10log10;floor={FrameEnergy.PowerFloor:R});" +
        $"{SpeechMask.CanonicalText()};{Pitch?.CanonicalText() ?? "yin(off)"}";

    /// <summary>SHA-256 of <see cref="CanonicalText"/>: identical settings give the identical hash in every process and culture.</summary>
    public byte[] StableHash() => SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText()));
}
