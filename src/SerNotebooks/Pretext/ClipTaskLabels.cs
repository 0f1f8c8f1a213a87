namespace SerNotebooks.Pretext;

/// <summary>
/// The labels one task gives one clip. <see cref="MissingLabel"/> marks a chunk (or the utterance) that
/// has no label; training masks it out of that task's loss instead of inventing a value.
/// </summary>
public sealed record ClipTaskLabels(string ClipId, int[]? ChunkLabels, int UtteranceLabel, string Source, string? SkipReason)
{
    public const int MissingLabel = -1;

    public bool HasAnyLabel =>
        SkipReason is null && (UtteranceLabel != MissingLabel || (ChunkLabels?.Any(l => l != MissingLabel) ?? false));
}
