using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>
/// What a planned fine-tuning run learns to predict (<see cref="AblationPlan.WithTargets"/>): labels
/// (TrainingConfig.Labels) and an optional penalty-matrix term (TrainingConfig.Penalty). Pre-training never sees
/// it, so every target of a configuration starts from the same pre-trained encoder.
/// </summary>
/// <param name="Name">intended, perceived-voice, perceived-av, soft-voice, soft-av, multi-voice, multi-av or penalty (tables and folder suffixes).</param>
/// <param name="Labels">The fine-tuning labels.</param>
/// <param name="Penalty">The penalty term; null = the plain loss.</param>
public sealed record FinetuneTarget(string Name, FinetuneLabels Labels, PenaltyLossConfig? Penalty)
{
    public const string IntendedName = "intended";
    public const string PenaltyName = "penalty";

    /// <summary>
    /// The weights of the <c>penalty</c> target when the experiment names none: the penalised term beside the usual
    /// loss with equal weight, so the penalty shifts the optimum without replacing the intended labels.
    /// </summary>
    public static readonly PenaltyLossConfig DefaultPenalty = new() { Alpha = 1, Beta = 1 };

    /// <summary>The paper's target: the actor's intended emotion, plain cross-entropy.</summary>
    public static FinetuneTarget Intended { get; } = new(IntendedName, FinetuneLabels.Intended, null);

    /// <summary>Hard (intended), soft (the voice-only vote distribution) and the penalty term: notebook 07's and <c>reproduce --beyond</c>'s targets.</summary>
    public static IReadOnlyList<string> BeyondThePaper { get; } = [IntendedName, "soft-voice", PenaltyName];

    /// <summary>Every name <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Enum.GetValues<FinetuneLabels>().Select(LabelsName), PenaltyName];

    /// <summary>
    /// The target called <paramref name="name"/>: a <see cref="FinetuneLabels"/> name (kebab case) or <c>penalty</c>,
    /// the intended labels plus the penalty term weighted by <paramref name="penalty"/> (default <see cref="DefaultPenalty"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static FinetuneTarget Parse(string name, PenaltyLossConfig? penalty = null)
    {
        var key = name.Trim().ToLowerInvariant();
        if (key == PenaltyName)
        {
            return new FinetuneTarget(PenaltyName, FinetuneLabels.Intended, penalty ?? DefaultPenalty);
        }
        foreach (var labels in Enum.GetValues<FinetuneLabels>())
        {
            if (LabelsName(labels) == key)
            {
                return labels == FinetuneLabels.Intended ? Intended : new FinetuneTarget(key, labels, null);
            }
        }
        throw new ArgumentException($"fine-tuning target '{name}': expected one of {string.Join(", ", Names)}");
    }

    /// <summary>Targets from a list such as <c>intended,soft-voice,penalty</c>.</summary>
    public static IReadOnlyList<FinetuneTarget> ParseList(string list, PenaltyLossConfig? penalty = null) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => Parse(n, penalty)).ToArray();

    /// <summary>The reference a target's labels come from: raters (perceived or soft) or the actor (intended, penalty).</summary>
    public bool UsesRaters => Labels != FinetuneLabels.Intended || Penalty is not null;

    private static string LabelsName(FinetuneLabels labels) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(labels.ToString());
}
