using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>Trains the runs of an ablation: in this process, or in worker processes.</summary>
public interface IRunExecutor : IDisposable
{
    /// <summary>How many runs train at once.</summary>
    int Slots { get; }

    /// <summary>
    /// Starts <paramref name="job"/>. The task ends with the run's result, or faults with <see cref="RunClaimedException"/>
    /// (another process trains it), <see cref="OperationCanceledException"/> or the run's error.
    /// </summary>
    /// <param name="job">The run.</param>
    /// <param name="root">The ablation's output folder.</param>
    /// <param name="labelsDirectory">Pre-training: the folder with the ablation's labels (<see cref="AblationLabels"/>).</param>
    /// <param name="report">Progress of the run; called on any thread.</param>
    /// <param name="cancellationToken">Stops the run after its current step (its last epoch checkpoint stays valid).</param>
    Task<TrainingResult> Start(AblationJob job, string root, string? labelsDirectory, Action<TrainingProgress> report, CancellationToken cancellationToken);
}

/// <summary>One run at a time, in this process, on the calling thread (progress arrives synchronously, in order).</summary>
public sealed class InProcessRunExecutor : IRunExecutor
{
    public static InProcessRunExecutor Instance { get; } = new();

    public int Slots => 1;

    public void Dispose()
    {
        // Nothing to stop: runs train on the caller's thread.
    }

    public Task<TrainingResult> Start(AblationJob job, string root, string? labelsDirectory, Action<TrainingProgress> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var labels = job.Stage == AblationStage.Pretraining && labelsDirectory is not null ? new PretextLabelSetDirectory(labelsDirectory) : null;
            return Task.FromResult(TrainingRun.Run(job.Config, job.Directory, labels, new InlineProgress(report), cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<TrainingResult>(e);
        }
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
