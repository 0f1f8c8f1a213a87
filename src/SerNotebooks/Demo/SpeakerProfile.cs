namespace SerNotebooks.Demo;

/// <summary>
/// Per-speaker traits: what makes two speakers in the same emotion sound and look different. Traits
/// that scale how much emotion shows (vocal and facial expressiveness) are what keep the pretext labels
/// related to, but not identical to, the emotion.
/// </summary>
public sealed record SpeakerProfile
{
    public required string Id { get; init; }
    public required bool IsFemale { get; init; }
    public required int Age { get; init; }

    // Voice
    public required double BaseF0 { get; init; }
    public required double F0RangeScale { get; init; }
    public required double FormantScale { get; init; }
    public required double GainDb { get; init; }
    public required double SyllableRate { get; init; }
    public required double EnergyVariability { get; init; }
    public required double VocalExpressiveness { get; init; }
    /// <summary>
    /// How strongly this speaker shows each category in the voice, relative to the population (enum order of
    /// <see cref="DemoEmotion"/>, ≈ N(1, 0.2)): one speaker's anger is loud, another's is cold and controlled.
    /// </summary>
    public required IReadOnlyList<double> EmotionStyle { get; init; }
    public required double SpectralTilt { get; init; }
    public required double Breathiness { get; init; }
    /// <summary>Recording noise below the speaker's vowel level (dB): quieter speech sits closer to the noise.</summary>
    public required double SignalToNoiseDb { get; init; }

    // Face
    public required double FacialExpressiveness { get; init; }
    public required double HeadMotion { get; init; }
    public required double ArticulationScale { get; init; }
    public required double TrackingDifficulty { get; init; }
    public required double InterOcularPixels { get; init; }
    public required double FaceWidthRatio { get; init; }
    public required double FaceLengthRatio { get; init; }
    public required double MouthWidthRatio { get; init; }
    public required double BrowHeight { get; init; }
    public required double EyeOpening { get; init; }
    public required double CentreX { get; init; }
    public required double CentreY { get; init; }
    public required (byte B, byte G, byte R) SkinColour { get; init; }
    public required (byte B, byte G, byte R) BackgroundColour { get; init; }

    public string Sex => IsFemale ? "Female" : "Male";

    public static SpeakerProfile Draw(string id, DemoRandom random, bool? isFemale = null)
    {
        var female = isFemale ?? random.Chance(0.5);
        var skinTone = random.Uniform(0.35, 0.95);
        return new SpeakerProfile
        {
            Id = id,
            IsFemale = female,
            Age = Math.Clamp((int)Math.Round(random.Gaussian(36, 12)), 20, 74),
            BaseF0 = female ? random.Gaussian(205, 20) : random.Gaussian(115, 14),
            F0RangeScale = Math.Clamp(random.Gaussian(1.0, 0.25), 0.5, 1.6),
            FormantScale = (female ? 1.15 : 1.0) * random.Gaussian(1.0, 0.035),
            GainDb = random.Gaussian(0, 2.5),
            SyllableRate = Math.Clamp(random.Gaussian(4.6, 0.5), 3.4, 6.0),
            EnergyVariability = Math.Clamp(random.Gaussian(1.0, 0.3), 0.4, 1.8),
            VocalExpressiveness = random.Uniform(0.6, 1.25),
            SpectralTilt = random.Gaussian(0, 0.08),
            Breathiness = random.Uniform(0.01, female ? 0.08 : 0.05),
            SignalToNoiseDb = random.Uniform(38, 52),
            FacialExpressiveness = random.Uniform(0.35, 1.25),
            HeadMotion = Math.Clamp(random.Gaussian(1.0, 0.35), 0.3, 2.0),
            ArticulationScale = Math.Clamp(random.Gaussian(1.0, 0.25), 0.5, 1.6),
            TrackingDifficulty = random.Uniform(0, 1),
            InterOcularPixels = random.Uniform(34, 44),
            FaceWidthRatio = random.Gaussian(1.0, 0.05),
            FaceLengthRatio = random.Gaussian(female ? 0.96 : 1.03, 0.05),
            MouthWidthRatio = random.Gaussian(1.0, 0.07),
            BrowHeight = random.Gaussian(0, 0.03),
            EyeOpening = random.Gaussian(1.0, 0.12),
            CentreX = random.Uniform(-12, 12),
            CentreY = random.Uniform(-6, 4),
            SkinColour = ((byte)(90 + 110 * skinTone), (byte)(110 + 110 * skinTone), (byte)(140 + 105 * skinTone)),
            BackgroundColour = ((byte)random.Uniform(40, 200), (byte)random.Uniform(40, 200), (byte)random.Uniform(40, 200)),
            EmotionStyle = Enumerable.Range(0, 6).Select(_ => Math.Clamp(random.Gaussian(1.0, 0.2), 0.55, 1.45)).ToArray(),
        };
    }
}
