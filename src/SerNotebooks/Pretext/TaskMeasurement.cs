namespace SerNotebooks.Pretext;

/// <summary>
/// A task's raw, threshold-free view of one clip: a statistic per chunk (NaN where a chunk has no usable
/// data) for chunk tasks, or a class index for utterance tasks. <see cref="SkipReason"/> is set when the
/// clip cannot be used for this task at all (it is then left out of this task only).
/// </summary>
public sealed record TaskMeasurement(
    string ClipId,
    string Speaker,
    double[]? ChunkValues,
    int? UtteranceClass,
    string Source,
    string? SkipReason)
{
    public bool IsUsable => SkipReason is null;

    public static TaskMeasurement Skipped(string clipId, string speaker, string source, string reason) =>
        new(clipId, speaker, null, null, source, reason);
}
