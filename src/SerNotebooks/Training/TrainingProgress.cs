namespace SerNotebooks.Training;

/// <summary>What a progress report is about.</summary>
public enum TrainingPhase
{
    /// <summary>Features are being extracted or read from the cache (Step = clips done, StepsPerEpoch = clips).</summary>
    Loading,

    /// <summary>The run continues from a checkpoint (Epoch = the last finished epoch).</summary>
    Resumed,

    /// <summary>One optimiser step finished.</summary>
    Step,

    /// <summary>An epoch finished, was evaluated and checkpointed (<see cref="TrainingProgress.EpochMetrics"/> is set).</summary>
    EpochEnd,

    /// <summary>The run finished and wrote its final metrics.</summary>
    Finished,

    /// <summary>The run folder already held this finished run; nothing was trained.</summary>
    Skipped,
}

/// <summary>
/// One progress report. Reports are delivered synchronously on the training thread, in order, so a
/// callback may cancel the run's token (for example after an epoch end) and the run stops before the next step.
/// </summary>
public sealed record TrainingProgress(
    RunKind Kind,
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    IReadOnlyDictionary<string, double> TaskLosses,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    IReadOnlyDictionary<string, double>? EpochMetrics = null,
    string? Message = null);
