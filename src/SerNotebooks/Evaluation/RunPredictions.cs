namespace SerNotebooks.Evaluation;

/// <summary>
/// One fine-tuning run's test predictions with the speaker of every utterance: what
/// <see cref="SpeakerBootstrap"/> resamples. A predictions file carries only the utterance id; the speaker comes
/// from the manifest the run was trained and tested on (<see cref="Join"/>).
/// </summary>
public sealed class RunPredictions
{
    private RunPredictions(string configuration, int seed, string? fold, PredictionSet predictions, IReadOnlyList<string> speakers)
    {
        Configuration = configuration;
        Seed = seed;
        Fold = fold;
        Predictions = predictions;
        Speakers = speakers;
    }

    public string Configuration { get; }

    public int Seed { get; }

    /// <summary>The fold under k-fold by actor; null under the test split.</summary>
    public string? Fold { get; }

    public PredictionSet Predictions { get; }

    /// <summary>The speaker of each row of <see cref="Predictions"/>, in the same order.</summary>
    public IReadOnlyList<string> Speakers { get; }

    /// <summary>Matches <see cref="RunMetrics.PairKey"/> of the same run.</summary>
    public (int Seed, string Fold) PairKey => (Seed, Fold ?? "");

    /// <summary>Tags each prediction with its speaker; an utterance id missing from <paramref name="speakerOf"/> is an error.</summary>
    public static RunPredictions Join(string configuration, int seed, string? fold, PredictionSet predictions, IReadOnlyDictionary<string, string> speakerOf)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(speakerOf);
        if (predictions.Count == 0)
        {
            throw new ArgumentException($"Run '{configuration}' seed {seed}: no predictions.", nameof(predictions));
        }
        var speakers = predictions.Predictions.Select(p =>
            speakerOf.TryGetValue(p.Id, out var speaker) && !string.IsNullOrWhiteSpace(speaker)
                ? speaker
                : throw new ArgumentException($"Run '{configuration}' seed {seed}{(fold is null ? "" : $" fold {fold}")}: utterance '{p.Id}' has no speaker in the manifest.", nameof(speakerOf)))
            .ToArray();
        return new RunPredictions(configuration, seed, fold, predictions, speakers);
    }
}
