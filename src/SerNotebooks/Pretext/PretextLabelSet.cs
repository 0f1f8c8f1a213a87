namespace SerNotebooks.Pretext;

/// <summary>
/// One task's labels over a corpus, with the fitted labeller state they came from. This is what
/// pre-training consumes: <see cref="ByClip"/> lacks clips the task could not label.
/// </summary>
public sealed record PretextLabelSet(
    string TaskName,
    LabelGranularity Granularity,
    IReadOnlyList<string> Classes,
    string LabellerStateJson,
    IReadOnlyDictionary<string, ClipTaskLabels> ByClip)
{
    /// <summary>The task's <see cref="IPretextTask.Kind"/>: how pre-training reads <see cref="ByClip"/>.</summary>
    public LabelKind Kind { get; init; } = LabelKind.Classification;
}
