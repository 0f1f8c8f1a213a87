using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// What differs between pre-training and fine-tuning inside <see cref="TrainingSession"/>'s one loop (after
/// SpeechBrain's <c>compute_forward</c> / <c>compute_objectives</c>): the model and its optimiser, the loss of a
/// batch, the per-epoch dev evaluation and what "better" means, and the files a finished run writes.
/// </summary>
internal interface ITrainingObjective : IDisposable
{
    nn.Module Model { get; }

    optim.Optimizer Optimizer { get; }

    /// <summary>metrics.csv columns after <c>epoch, train_loss</c> and before <c>seconds</c>, in order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Row names of the per-task training losses that <see cref="Loss"/> returns, in its order; empty = not reported.</summary>
    IReadOnlyList<string> TrainTaskColumns { get; }

    /// <summary>The tasks' names, in <see cref="Loss"/>'s order, for step progress reports.</summary>
    IReadOnlyList<string> TaskNames { get; }

    /// <summary>What the best epoch maximises, in words (progress messages).</summary>
    string ScoreDescription { get; }

    /// <summary>False when the score is not measured on held-out clips, so early stopping would only stop fitting.</summary>
    bool CanStopEarly { get; }

    /// <summary>
    /// Sets training mode (and what is frozen) for <paramref name="epoch"/>, and re-assigns pseudo-classes when the epoch
    /// is due; depends on the epoch, the model's weights and <see cref="PseudoClasses"/> only, so a resumed run matches.
    /// </summary>
    void BeginEpoch(int epoch);

    /// <summary>
    /// The pseudo-class tasks' current classes: what later epochs depend on besides the weights and the optimiser state.
    /// The session stores them with every checkpoint and the best model, and restores them on resume and before
    /// <see cref="Finish"/>. Empty for a run without a pseudo-class task (then nothing is stored).
    /// </summary>
    IReadOnlyList<PseudoClassSnapshot> PseudoClasses();

    /// <summary>Restores what <see cref="PseudoClasses"/> gave.</summary>
    /// <exception cref="InvalidDataException">The snapshots do not match this run's pseudo-class tasks.</exception>
    void RestorePseudoClasses(IReadOnlyList<PseudoClassSnapshot> snapshots);

    /// <summary>The batch's loss with its graph (null: nothing to learn from in this batch) and the per-task values.</summary>
    (Tensor? Total, double?[] TaskLosses) Loss(TrainingBatch batch);

    /// <summary>Scores the epoch's model on held-out clips, adds its columns to <paramref name="row"/>; returns the score (higher is better).</summary>
    double EvaluateEpoch(IDictionary<string, double> row);

    /// <summary>With the best epoch's weights loaded: writes the run's result files and returns final-metrics.json's metrics.</summary>
    IReadOnlyDictionary<string, double> Finish(RunFolder folder);
}

/// <summary>The data of a session: the dataset, each task's labels and the clips of each role.</summary>
internal sealed record TrainingData(ChunkedDataset Dataset, IReadOnlyList<TaskLabelTensor> Tasks, int[] Train, int[] Dev, int[] Test, int BatchSize)
{
    /// <summary>Where the model trains; batches move there (the dataset stays in host memory).</summary>
    public torch.Device Device { get; init; } = torch.CPU;

    /// <summary>The batch of <paramref name="rows"/> on <see cref="Device"/>, inside the caller's dispose scope.</summary>
    public TrainingBatch Batch(LoadedRows rows) => TrainingBatch.Select(Dataset, Tasks, rows).To(Device);

    /// <summary><paramref name="order"/> cut into consecutive batches of <see cref="BatchSize"/> (the last one shorter).</summary>
    public IEnumerable<int[]> BatchesOf(int[] order)
    {
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            yield return order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
        }
    }

    /// <summary>
    /// The batches of <paramref name="indices"/> in order, for evaluation (no shuffling), read ahead by a
    /// <see cref="BatchLoader"/>; each becomes a <see cref="TrainingBatch"/> inside the caller's dispose scope.
    /// </summary>
    public IEnumerable<LoadedRows> Batches(int[] indices)
    {
        using var loader = new BatchLoader(Dataset, BatchesOf(indices));
        foreach (var rows in loader.Read())
        {
            yield return rows;
        }
    }
}
