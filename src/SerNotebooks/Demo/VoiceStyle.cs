namespace SerNotebooks.Demo;

/// <summary>
/// The prosodic and voice-quality settings of one clip, derived from the latent emotional state,
/// the speaker's traits and clip-level noise. This is where emotion reaches the voice.
/// </summary>
public sealed record VoiceStyle
{
    public required double F0Mean { get; init; }
    public required double AccentRangeSemitones { get; init; }
    public required double DeclinationSemitones { get; init; }
    public required double FinalRiseProbability { get; init; }
    public required double TremorSemitones { get; init; }
    public required double JitterFraction { get; init; }
    public required double ShimmerFraction { get; init; }
    public required double SyllableRate { get; init; }
    public required double LevelDb { get; init; }
    public required double SyllableLevelSigmaDb { get; init; }
    public required double EmphasisProbability { get; init; }
    /// <summary>How much quieter consonants are than vowels (crisp in aroused speech, slurred in low arousal).</summary>
    public required double ConsonantContrast { get; init; }
    /// <summary>Voicing carried through consonants (0..1): low-arousal speech is slurred, its energy dips shallow.</summary>
    public required double Lenition { get; init; }
    public required double TiltPole { get; init; }
    public required double OpenQuotient { get; init; }
    public required double Breathiness { get; init; }
    public required double FormantScale { get; init; }
    public required double SecondFormantShift { get; init; }
    public required double PauseProbability { get; init; }
    public required double PauseScale { get; init; }

    /// <summary>Reference vowel level (dBFS RMS) of a neutral speaker at zero gain.</summary>
    public const double ReferenceLevelDb = -26;

    public static VoiceStyle Derive(EmotionalState state, SpeakerProfile speaker, DemoRandom random)
    {
        var a = state.Arousal;
        var v = state.Valence;
        var e = speaker.VocalExpressiveness;
        var i = state.Emotion == DemoEmotion.Neutral ? 0 : state.Intensity;
        var isSad = state.Emotion == DemoEmotion.Sadness ? 1.0 : 0.0;
        var isFear = state.Emotion == DemoEmotion.Fear ? 1.0 : 0.0;
        var isDisgust = state.Emotion == DemoEmotion.Disgust ? 1.0 : 0.0;
        var isHappy = state.Emotion == DemoEmotion.Happiness ? 1.0 : 0.0;
        var isAnger = state.Emotion == DemoEmotion.Anger ? 1.0 : 0.0;

        var f0ShiftSt = e * (4.0 * a + 0.8 * v) - 1.2 * isDisgust * i + random.Gaussian(0, 0.9);
        var accentRange = speaker.F0RangeScale * Math.Max(0.6, 2.6 + e * (2.2 * a + 1.2 * Math.Max(v, 0)) - 1.2 * isSad * i) + random.Gaussian(0, 0.4);
        var rate = speaker.SyllableRate * (1 + 0.13 * e * a) * (1 - 0.1 * isSad * i - 0.08 * isDisgust * i) * random.Gaussian(1, 0.05);
        return new VoiceStyle
        {
            F0Mean = speaker.BaseF0 * Math.Pow(2, f0ShiftSt / 12),
            AccentRangeSemitones = Math.Max(0.4, accentRange),
            DeclinationSemitones = random.Uniform(1.5, 3.5) + 1.0 * isSad * i,
            FinalRiseProbability = Math.Clamp(0.12 + 0.2 * isHappy * i + 0.15 * isFear * i - 0.1 * isSad, 0, 0.6),
            TremorSemitones = 0.45 * isFear * i * e + 0.05,
            JitterFraction = 0.004 + 0.012 * isFear * i + 0.008 * isDisgust * i + 0.004 * isSad * i,
            ShimmerFraction = 0.03 + 0.04 * isFear * i + 0.03 * isAnger * i,
            SyllableRate = Math.Clamp(rate, 2.6, 7.5),
            LevelDb = ReferenceLevelDb + speaker.GainDb + e * (8.5 * a + 1.0 * v) + random.Gaussian(0, 1.5),
            SyllableLevelSigmaDb = speaker.EnergyVariability * Math.Max(0.8, 3.0 + e * 7.0 * a) * random.Gaussian(1, 0.15),
            EmphasisProbability = Math.Clamp(0.08 + 0.45 * e * Math.Max(a, 0), 0, 0.7),
            ConsonantContrast = Math.Clamp(1 + 0.8 * e * a, 0.3, 2.2),
            Lenition = Math.Clamp(0.3 - 0.45 * e * a + random.Gaussian(0, 0.05), 0, 0.65),
            TiltPole = Math.Clamp(0.42 - 0.22 * e * a + speaker.SpectralTilt + 0.1 * isSad * i, 0.15, 0.88),
            OpenQuotient = Math.Clamp(0.62 - 0.14 * a * e + 0.06 * isSad * i, 0.35, 0.8),
            Breathiness = speaker.Breathiness + 0.06 * isSad * i + 0.05 * isFear * i,
            FormantScale = speaker.FormantScale,
            SecondFormantShift = 1 + 0.04 * isHappy * i - 0.02 * isSad * i + 0.02 * isDisgust * i,
            PauseProbability = Math.Clamp(0.1 + 0.14 * isSad * i + 0.06 * isDisgust * i - 0.05 * a, 0.02, 0.4),
            PauseScale = 1 + 0.6 * isSad * i + 0.3 * isDisgust * i,
        };
    }
}
