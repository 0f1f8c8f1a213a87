using System.Globalization;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>How a progress line should stand out where the output has colour.</summary>
public enum ProgressLineKind
{
    Normal,
    Quiet,
    Warning,
}

/// <summary>One line of ablation progress as text.</summary>
public readonly record struct ProgressLine(string Text, ProgressLineKind Kind = ProgressLineKind.Normal);

/// <summary>
/// Ablation progress as one line per run start and per epoch (never per step), so a multi-hour paper run stays
/// readable in a log file or a notebook cell. Shared by <c>sernb reproduce</c> and the notebooks.
/// </summary>
public static class AblationProgressLines
{
    /// <summary>The line for <paramref name="value"/>, or null when it is not worth a line (a single step).</summary>
    public static ProgressLine? Describe(AblationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // With several workers, lines of different runs interleave: each names its worker and run.
        var who = value.Worker is { } worker ? $"w{worker} {value.Run}: " : "";
        return value switch
        {
            { Stage: AblationStage.Labelling, Message: { } message } when message.StartsWith("waiting", StringComparison.Ordinal) =>
                new ProgressLine(message, ProgressLineKind.Warning),
            { Stage: AblationStage.Labelling } => new ProgressLine($"labelling the pre-training corpus: {value.Message}"),
            { Training: null, Run: not null, Message: { } message } => new ProgressLine($"  {value.Run}: {message}", ProgressLineKind.Warning),
            { Training: null, Run: not null } => new ProgressLine(
                $"[{value.RunsDone + 1}/{value.RunsTotal}] {value.Run}{(value.Worker is { } w ? $" (worker {w})" : "")}"),
            { Training.Phase: TrainingPhase.Skipped } => new ProgressLine($"  {who}{value.Training.Message ?? "already finished"}", ProgressLineKind.Quiet),
            { Training: { Phase: TrainingPhase.Resumed, Message: { } message } } => new ProgressLine($"  {who}{message}", ProgressLineKind.Warning),
            { Training: { Phase: TrainingPhase.EpochEnd } t } => new ProgressLine(string.Create(CultureInfo.InvariantCulture,
                $"  {who}epoch {t.Epoch}/{t.Epochs} {EpochMetrics(t)} ({t.Elapsed:mm\\:ss})")),
            _ => null,
        };
    }

    private static string EpochMetrics(TrainingProgress progress) => progress.EpochMetrics is null ? "" : string.Join(", ", progress.EpochMetrics
        .Where(m => m.Key is "train_loss" or "dev_loss" or "dev_macro_f1")
        .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {(double.IsNaN(m.Value) ? "–" : m.Value.ToString("0.###", CultureInfo.InvariantCulture))}")));
}
