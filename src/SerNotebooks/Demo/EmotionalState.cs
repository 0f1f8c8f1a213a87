namespace SerNotebooks.Demo;

/// <summary>The six CREMA-D emotion categories, in CREMA-D's code order.</summary>
public enum DemoEmotion
{
    Anger,
    Disgust,
    Fear,
    Happiness,
    Neutral,
    Sadness,
}

/// <summary>Names, CREMA-D codes and circumplex positions of the six categories.</summary>
public static class DemoEmotions
{
    public static IReadOnlyList<DemoEmotion> All { get; } = Enum.GetValues<DemoEmotion>();

    /// <summary>CREMA-D file-name code (ANG, DIS, FEA, HAP, NEU, SAD).</summary>
    public static string CremaCode(this DemoEmotion emotion) => emotion switch
    {
        DemoEmotion.Anger => "ANG",
        DemoEmotion.Disgust => "DIS",
        DemoEmotion.Fear => "FEA",
        DemoEmotion.Happiness => "HAP",
        DemoEmotion.Neutral => "NEU",
        DemoEmotion.Sadness => "SAD",
        _ => throw new ArgumentOutOfRangeException(nameof(emotion)),
    };

    /// <summary>Lower-case label used in manifests (anger, disgust, fear, happiness, neutral, sadness).</summary>
    public static string Label(this DemoEmotion emotion) => emotion.ToString().ToLowerInvariant();

    /// <summary>
    /// Full-intensity arousal and valence in [-1, 1] (Russell's circumplex, as commonly placed for
    /// the basic emotions); a clip's state scales these by its intensity and adds noise.
    /// </summary>
    public static (double Arousal, double Valence) Prototype(this DemoEmotion emotion) => emotion switch
    {
        DemoEmotion.Anger => (0.85, -0.6),
        DemoEmotion.Disgust => (0.15, -0.65),
        DemoEmotion.Fear => (0.7, -0.7),
        DemoEmotion.Happiness => (0.55, 0.8),
        DemoEmotion.Neutral => (-0.05, 0.0),
        DemoEmotion.Sadness => (-0.65, -0.6),
        _ => throw new ArgumentOutOfRangeException(nameof(emotion)),
    };
}

/// <summary>
/// The hidden emotional state of one clip. It drives voice and face; it is written to the pre-training
/// manifest only as analysis columns (latent_*) that models must never read.
/// </summary>
public sealed record EmotionalState(DemoEmotion Emotion, double Intensity, double Arousal, double Valence)
{
    /// <summary>Draws the state for a category at a nominal intensity, with person-to-person scatter.</summary>
    public static EmotionalState Draw(DemoEmotion emotion, double intensity, DemoRandom random)
    {
        var (arousal, valence) = emotion.Prototype();
        var scale = emotion == DemoEmotion.Neutral ? 1.0 : intensity;
        return new EmotionalState(
            emotion,
            intensity,
            Math.Clamp(arousal * scale + random.Gaussian(0, 0.15), -1, 1),
            Math.Clamp(valence * scale + random.Gaussian(0, 0.12), -1, 1));
    }

    /// <summary>Arousal in three bands for analysis tables (low &lt; −0.25 ≤ mid &lt; 0.35 ≤ high).</summary>
    public string ArousalLevel => Arousal < -0.25 ? "low" : Arousal < 0.35 ? "mid" : "high";
}
