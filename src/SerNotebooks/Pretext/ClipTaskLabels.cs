namespace SerNotebooks.Pretext;

/// <summary>
/// The labels one task gives one clip. <see cref="MissingLabel"/> marks a chunk (or the utterance) that
/// has no label; training masks it out of that task's loss instead of inventing a value. A regression task
/// (<see cref="LabelKind.Regression"/>) gives <see cref="ChunkTargets"/> instead of class labels, NaN where a chunk has none.
/// </summary>
public sealed record ClipTaskLabels(string ClipId, int[]? ChunkLabels, int UtteranceLabel, string Source, string? SkipReason)
{
    public const int MissingLabel = -1;

    /// <summary>A regression task's target per chunk (standardised by its labeller); NaN = missing. Null for class labels.</summary>
    public double[]? ChunkTargets { get; init; }

    public bool HasAnyLabel =>
        SkipReason is null && (UtteranceLabel != MissingLabel || (ChunkLabels?.Any(l => l != MissingLabel) ?? false)
            || (ChunkTargets?.Any(double.IsFinite) ?? false));
}
