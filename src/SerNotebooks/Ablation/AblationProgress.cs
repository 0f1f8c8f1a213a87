using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>What the ablation is doing.</summary>
public enum AblationStage
{
    Labelling,
    Pretraining,
    Finetuning,
    Table,
    Done,
}

/// <summary>
/// One progress report of <see cref="AblationRunner"/>. <paramref name="RunsDone"/> of <paramref name="RunsTotal"/>
/// counts pre-training and fine-tuning runs together; <paramref name="Training"/> is the current run's own report.
/// </summary>
public sealed record AblationProgress(
    AblationStage Stage,
    string? Run,
    int RunsDone,
    int RunsTotal,
    TrainingProgress? Training = null,
    string? Message = null);
