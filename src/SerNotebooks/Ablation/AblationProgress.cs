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
/// counts pre-training and fine-tuning runs together (in a run's start report: the runs started before it);
/// <paramref name="Training"/> is the run's own report; <paramref name="Worker"/> numbers the worker process (1…N)
/// training it when several train at once (null: one at a time). A report with a run, a message and no training
/// report says why the run waits.
/// </summary>
public sealed record AblationProgress(
    AblationStage Stage,
    string? Run,
    int RunsDone,
    int RunsTotal,
    TrainingProgress? Training = null,
    string? Message = null,
    int? Worker = null);
