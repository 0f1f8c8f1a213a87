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
    public required double FirstFormantShift { get; init; }
    public required double SecondFormantShift { get; init; }
    public required double PauseProbability { get; init; }
    public required double PauseScale { get; init; }

    /// <summary>Reference vowel level (dBFS RMS) of a neutral speaker at zero gain.</summary>
    public const double ReferenceLevelDb = -26;

    /// <summary>
    /// The category's vocal profile at full display (intensity × expressiveness × the speaker's style = 1), after the
    /// acoustic literature on acted emotion (Banse &amp; Scherer 1996; Juslin &amp; Laukka 2003): anger loud, tense and
    /// bright with wide, falling accents; fear high, fast, narrow and trembling; happiness high with wide, rising
    /// accents and a smiling F1/F2; disgust low, slow, creaky; sadness quiet, low, slow, flat, breathy and dark;
    /// neutral none. RECIPE.md lists the numbers.
    /// </summary>
    internal sealed record CategoryCues(
        double F0Semitones, double RangeFactor, double RateFactor, double LevelDb, double Tilt, double OpenQuotient,
        double Breathiness, double Jitter, double Shimmer, double Tremor, double F1Shift, double F2Shift, double FinalRise,
        double Pause, double PauseScale);

    internal static CategoryCues Cues(DemoEmotion emotion) => emotion switch
    {
        //                       F0 st  range  rate  level  tilt   OQ     breath jitter shimmer tremor F1     F2     rise  pause pauseScale
        DemoEmotion.Anger => new(2.5, 1.45, 1.10, 8.0, -0.20, -0.15, 0.0, 0.004, 0.05, 0.0, 0.08, 0.01, -0.08, 0.0, 0.0),
        DemoEmotion.Disgust => new(-2.0, 0.80, 0.82, -1.5, 0.04, 0.0, 0.02, 0.018, 0.04, 0.05, -0.03, -0.04, -0.05, 0.12, 0.4),
        DemoEmotion.Fear => new(6.0, 0.60, 1.22, 1.5, -0.04, 0.05, 0.07, 0.016, 0.06, 0.9, 0.0, 0.02, 0.25, 0.04, 0.0),
        DemoEmotion.Happiness => new(4.0, 1.85, 1.07, 3.5, -0.08, -0.04, 0.01, 0.0, 0.0, 0.0, 0.04, 0.06, 0.35, 0.0, 0.0),
        DemoEmotion.Neutral => new(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        DemoEmotion.Sadness => new(-2.5, 0.45, 0.78, -6.0, 0.18, 0.10, 0.09, 0.008, 0.03, 0.3, -0.05, -0.03, -0.1, 0.2, 0.7),
        _ => throw new ArgumentOutOfRangeException(nameof(emotion)),
    };

    public static VoiceStyle Derive(EmotionalState state, SpeakerProfile speaker, DemoRandom random)
    {
        var a = state.Arousal;
        var e = speaker.VocalExpressiveness;
        var i = state.Emotion == DemoEmotion.Neutral ? 0 : state.Intensity;
        // Display strength of the category in the voice: how intense, how expressive this speaker is, and how this
        // speaker does this emotion; a little clip-to-clip variation on top.
        var d = Math.Max(0, i * e * speaker.EmotionStyle[(int)state.Emotion] * random.Gaussian(1, 0.15));
        var c = Cues(state.Emotion);
        double Scale(double factor) => Math.Pow(factor, d); // multiplicative cues: 1 at d = 0, the factor at d = 1

        // Arousal (the continuous state) moves level, F0 and tempo a little on its own, also within neutral.
        var f0ShiftSt = d * c.F0Semitones + 1.2 * a + random.Gaussian(0, 0.8);
        var accentRange = speaker.F0RangeScale * 2.6 * Scale(c.RangeFactor) * (1 + 0.15 * a) + random.Gaussian(0, 0.3);
        var rate = speaker.SyllableRate * Scale(c.RateFactor) * (1 + 0.04 * a) * random.Gaussian(1, 0.04);
        return new VoiceStyle
        {
            F0Mean = speaker.BaseF0 * Math.Pow(2, f0ShiftSt / 12),
            AccentRangeSemitones = Math.Max(0.4, accentRange),
            DeclinationSemitones = random.Uniform(1.5, 3.5) + (state.Emotion == DemoEmotion.Sadness ? 1.0 * d : 0),
            FinalRiseProbability = Math.Clamp(0.12 + c.FinalRise * d, 0, 0.6),
            TremorSemitones = c.Tremor * d + 0.05,
            JitterFraction = 0.004 + c.Jitter * d,
            ShimmerFraction = 0.03 + c.Shimmer * d,
            SyllableRate = Math.Clamp(rate, 2.4, 7.5),
            LevelDb = ReferenceLevelDb + speaker.GainDb + c.LevelDb * d + 1.5 * a + random.Gaussian(0, 1.2),
            // Energy variation (pretext task 1) follows the continuous state, not the category: arousal and intensity.
            SyllableLevelSigmaDb = speaker.EnergyVariability * Math.Max(0.8, 3.0 + e * 6.0 * a) * (1 + 0.3 * i) * random.Gaussian(1, 0.15),
            EmphasisProbability = Math.Clamp(0.08 + 0.45 * e * Math.Max(a, 0), 0, 0.7),
            ConsonantContrast = Math.Clamp(1 + 0.8 * e * a, 0.3, 2.2),
            Lenition = Math.Clamp(0.3 - 0.45 * e * a + random.Gaussian(0, 0.05), 0, 0.65),
            TiltPole = Math.Clamp(0.42 + c.Tilt * d - 0.05 * a + speaker.SpectralTilt, 0.12, 0.9),
            OpenQuotient = Math.Clamp(0.62 + c.OpenQuotient * d, 0.35, 0.8),
            Breathiness = speaker.Breathiness + c.Breathiness * d,
            FormantScale = speaker.FormantScale,
            FirstFormantShift = 1 + c.F1Shift * d,
            SecondFormantShift = 1 + c.F2Shift * d,
            PauseProbability = Math.Clamp(0.1 + c.Pause * d - 0.05 * a, 0.02, 0.45),
            PauseScale = 1 + c.PauseScale * d,
        };
    }
}
