namespace SerNotebooks.Pretext.Tasks.EnergyVariation;

/// <summary>Mean and standard deviation of one speaker's chunk values (dB), from <see cref="Chunks"/> chunks.</summary>
public sealed record SpeakerEnergyStatistics(double Mean, double Std, int Chunks)
{
    public double ZScore(double value) => (value - Mean) / Std;
}

/// <summary>The fitted state of <see cref="EnergyVariationTask"/>, saved as the labeller's JSON.</summary>
public sealed record EnergyVariationState() : LabellerState(EnergyVariationTask.TaskName)
{
    /// <summary>Median of the training chunks' values: dB, or a z-score with per-speaker normalisation.</summary>
    public required double Threshold { get; init; }

    public required int TrainingChunks { get; init; }

    public required int MinSpeechFrames { get; init; }

    public required bool PerSpeakerNormalisation { get; init; }

    /// <summary>Per-speaker statistics (empty without per-speaker normalisation).</summary>
    public IReadOnlyDictionary<string, SpeakerEnergyStatistics> Speakers { get; init; } =
        new Dictionary<string, SpeakerEnergyStatistics>(StringComparer.Ordinal);
}
