namespace SerNotebooks.Pretext;

/// <summary>
/// What a task's labels are, and so which head and loss pre-training gives it (TASKS.md, "Label kinds").
/// </summary>
public enum LabelKind
{
    /// <summary>Class indices (<see cref="ClipTaskLabels.ChunkLabels"/>, <see cref="ClipTaskLabels.UtteranceLabel"/>; −1 missing): a softmax head, masked cross-entropy.</summary>
    Classification,

    /// <summary>
    /// One standardised real value per chunk (<see cref="ClipTaskLabels.ChunkTargets"/>; NaN missing): a one-output head,
    /// masked mean squared error. Chunk tasks only.
    /// </summary>
    Regression,

    /// <summary>
    /// Classes that the pre-training objective assigns itself while it trains (k-means pseudo-labels): the label files
    /// only say which chunks take part (0) and which do not (−1); the classes are re-assigned during training, on the
    /// schedule in the labeller state (<see cref="PseudoClassSchedule"/>). Chunk tasks only.
    /// </summary>
    PseudoClasses,
}
