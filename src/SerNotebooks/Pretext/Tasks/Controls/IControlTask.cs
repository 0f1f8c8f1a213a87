namespace SerNotebooks.Pretext.Tasks.Controls;

/// <summary>
/// A pretext task that is a <em>control</em>, not one of the paper's tasks: it bounds what pre-training can give
/// (<see cref="OracleEmotionTask"/>, the positive control) or shows what a label without information gives
/// (<see cref="ShuffledTask"/>, the negative control). Ablations show controls apart and never count them among the
/// paper's task combinations; <c>sernb labels</c> labels them only when asked by name.
/// </summary>
public interface IControlTask : IPretextTask
{
    /// <summary>What the control is for, in one sentence for tables and notebooks.</summary>
    string ControlRole { get; }
}

/// <summary>A task that can only label some corpora (for example one whose hidden state is known).</summary>
public interface ICorpusRequirement
{
    /// <summary>Why <paramref name="entries"/> cannot be labelled by this task, or null when they can.</summary>
    string? Refusal(IReadOnlyCollection<Data.ManifestEntry> entries);
}
