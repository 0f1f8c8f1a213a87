using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One training step's batch, as <see cref="TrainingRun"/>'s loop takes it at every step: the rows
/// <see cref="ClipIndices"/> of a <see cref="ChunkedDataset"/> (inputs and chunk mask) and the same rows of each
/// task's <see cref="TaskLabelTensor"/>. Its tensors belong to the dispose scope that is current when it is
/// selected (a training step's <c>torch.NewDisposeScope()</c>); outside a scope, <see cref="Dispose"/> frees them.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    private TrainingBatch(IReadOnlyList<int> clipIndices, Tensor index, Tensor inputs, Tensor chunkMask,
        IReadOnlyList<string> taskNames, IReadOnlyDictionary<string, Tensor> labels)
    {
        ClipIndices = clipIndices;
        Index = index;
        Inputs = inputs;
        ChunkMask = chunkMask;
        TaskNames = taskNames;
        Labels = labels;
    }

    /// <summary>Rows of the dataset, in batch order.</summary>
    public IReadOnlyList<int> ClipIndices { get; }

    /// <summary>[B] int64: <see cref="ClipIndices"/> as a tensor.</summary>
    public Tensor Index { get; }

    /// <summary>[B, C, m, F] float32 log-mel chunks (standardised when the dataset is).</summary>
    public Tensor Inputs { get; }

    /// <summary>[B, C] bool: the chunks that carry frames of their own (see <see cref="ChunkedDataset.ChunkMask"/>).</summary>
    public Tensor ChunkMask { get; }

    /// <summary>The tasks whose labels the batch holds, in the order they were given (a run's config order).</summary>
    public IReadOnlyList<string> TaskNames { get; }

    /// <summary>
    /// Per task, its labels of these rows: int64 [B, C] for a chunk task, [B] for an utterance task, with
    /// <see cref="Pretext.ClipTaskLabels.MissingLabel"/> (−1) where the task has no label.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Labels { get; }

    /// <summary>B, the number of utterances.</summary>
    public int Size => ClipIndices.Count;

    /// <summary>
    /// Rows <paramref name="clipIndices"/> of <paramref name="dataset"/> and of every task's labels (no copy of the
    /// dataset beyond these rows). A run's step takes the next <c>batchSize</c> indices of its epoch's order
    /// (<see cref="TrainingRun.Shuffle"/> with <see cref="TrainingRun.EpochSeed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No index, an index outside the dataset, or a task given twice.</exception>
    public static TrainingBatch Select(ChunkedDataset dataset, IReadOnlyList<TaskLabelTensor> tasks, IReadOnlyList<int> clipIndices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(clipIndices);
        return Select(dataset, tasks, new LoadedRows(clipIndices.ToArray(), null));
    }

    /// <summary>
    /// The batch of rows a <see cref="BatchLoader"/> read ahead (their raw values, for a shard-backed dataset), or of
    /// <see cref="LoadedRows.ClipIndices"/> read now when <see cref="LoadedRows.RawInputs"/> is null.
    /// </summary>
    public static TrainingBatch Select(ChunkedDataset dataset, IReadOnlyList<TaskLabelTensor> tasks, LoadedRows loaded)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(loaded);
        var rows = loaded.ClipIndices;
        if (rows.Length == 0)
        {
            throw new ArgumentException("a batch needs at least one clip", "clipIndices");
        }
        foreach (var i in rows)
        {
            if (i < 0 || i >= dataset.Count)
            {
                throw new ArgumentException($"clip index {i} is outside the dataset's {dataset.Count} clips", "clipIndices");
            }
        }
        if (tasks.GroupBy(t => t.TaskName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"task '{twice.Key}' is given twice", nameof(tasks));
        }
        var index = torch.tensor(rows.Select(i => (long)i).ToArray());
        var labels = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            labels[task.TaskName] = task.Labels.index_select(0, index);
        }
        return new TrainingBatch(rows, index, dataset.SelectInputs(index, loaded.RawInputs), dataset.ChunkMask.index_select(0, index),
            tasks.Select(t => t.TaskName).ToArray(), labels);
    }

    /// <summary>
    /// This batch on <paramref name="device"/> (itself on the CPU, where the dataset is): inputs, chunk mask and labels move,
    /// the clip indices stay.
    /// </summary>
    public TrainingBatch To(Device device)
    {
        if (device.type == DeviceType.CPU)
        {
            return this;
        }
        var labels = Labels.ToDictionary(p => p.Key, p => p.Value.to(device), StringComparer.Ordinal);
        return new TrainingBatch(ClipIndices, Index, Inputs.to(device), ChunkMask.to(device), TaskNames, labels);
    }

    /// <summary>Frees the batch's tensors now (needed only outside a dispose scope).</summary>
    public void Dispose()
    {
        Index.Dispose();
        Inputs.Dispose();
        ChunkMask.Dispose();
        foreach (var labels in Labels.Values)
        {
            labels.Dispose();
        }
    }
}
