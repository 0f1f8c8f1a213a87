using SerNotebooks.Models;
using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// The pre-training objective's side of one <see cref="LabelKind.PseudoClasses"/> task (DeepEmoCluster; TRAINING.md,
/// "Clustering pretext task"): on a re-clustering epoch it embeds every chunk that takes part with the encoder as it is
/// (eval mode, no gradient, in evaluation batches), runs <see cref="SeededKMeans"/> on the training rows' chunks, gives
/// every other row's chunks (dev, test) the nearest centre, and writes the clusters into the task's labels. The chunks
/// that take part are those the label files labelled 0; the others stay −1.
/// </summary>
internal sealed class PseudoClassLabels
{
    private readonly TaskLabelTensor task;
    private readonly bool[] takesPart;

    public PseudoClassLabels(int taskIndex, TaskLabelTensor task, PseudoClassSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Kind != LabelKind.PseudoClasses)
        {
            throw new ArgumentException($"task '{task.TaskName}' has {task.Kind} labels, not pseudo-classes", nameof(task));
        }
        TaskIndex = taskIndex;
        this.task = task;
        Schedule = schedule;
        using var scope = torch.NewDisposeScope();
        takesPart = task.Labels.ge(0).reshape(-1).data<bool>().ToArray();
    }

    /// <summary>The task's position in the objective's task list.</summary>
    public int TaskIndex { get; }

    public string TaskName => task.TaskName;

    public PseudoClassSchedule Schedule { get; }

    /// <summary>The epoch whose start last assigned the classes (0: not yet).</summary>
    public int ClusteredAtEpoch { get; private set; }

    /// <summary>Re-assigns the classes from the chunk embeddings of <paramref name="model"/>; leaves the model in eval mode.</summary>
    public KMeansResult Recluster(PretrainingModel model, TrainingData data, int epoch, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var chunks = data.Dataset.ChunkCount;
        var (trainSlots, trainPoints) = Embed(model, data, data.Train, chunks);
        var others = data.Dev.Concat(data.Test).Order().ToArray();
        var (otherSlots, otherPoints) = Embed(model, data, others, chunks);
        var clustering = SeededKMeans.Fit(trainPoints, task.Classes.Count, seed);
        var classes = Enumerable.Repeat((long)ClipTaskLabels.MissingLabel, data.Dataset.Count * chunks).ToArray();
        for (var i = 0; i < trainSlots.Count; i++)
        {
            classes[trainSlots[i]] = clustering.Assignments[i];
        }
        for (var i = 0; i < otherSlots.Count; i++)
        {
            classes[otherSlots[i]] = SeededKMeans.Nearest(clustering.Centres, otherPoints[i]);
        }
        using (var scope = torch.NewDisposeScope())
        {
            task.AssignPseudoClasses(torch.tensor(classes, [data.Dataset.Count, chunks]));
        }
        ClusteredAtEpoch = epoch;
        return clustering;
    }

    /// <summary>The chunk embeddings of <paramref name="rows"/> that take part, with their slots (row · C + chunk) in the labels.</summary>
    private (List<int> Slots, List<float[]> Points) Embed(PretrainingModel model, TrainingData data, int[] rows, int chunks)
    {
        var slots = new List<int>();
        var points = new List<float[]>();
        model.eval();
        using var noGrad = torch.no_grad();
        foreach (var loaded in data.Batches(rows))
        {
            using var scope = torch.NewDisposeScope();
            var batch = data.Batch(loaded);
            var embeddings = Native.TorchDevices.OnCpu(model.ChunkEmbeddings(batch.Inputs, batch.ChunkMask)).contiguous();
            var size = (int)embeddings.shape[2];
            var values = embeddings.data<float>().ToArray();
            for (var b = 0; b < batch.Size; b++)
            {
                for (var k = 0; k < chunks; k++)
                {
                    var slot = batch.ClipIndices[b] * chunks + k;
                    if (takesPart[slot])
                    {
                        slots.Add(slot);
                        points.Add(values.AsSpan((b * chunks + k) * size, size).ToArray());
                    }
                }
            }
        }
        return (slots, points);
    }

    /// <summary>The current classes and the epoch that assigned them (what a checkpoint stores).</summary>
    public PseudoClassSnapshot Snapshot()
    {
        using var scope = torch.NewDisposeScope();
        return new PseudoClassSnapshot(TaskName, ClusteredAtEpoch, task.Labels.reshape(-1).data<long>().ToArray());
    }

    /// <summary>Puts back what <see cref="Snapshot"/> gave.</summary>
    /// <exception cref="InvalidDataException">The snapshot is another task's, or does not fit this run's chunks and classes.</exception>
    public void Restore(PseudoClassSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.TaskName != TaskName)
        {
            throw new InvalidDataException($"pseudo-labels of task '{snapshot.TaskName}' where task '{TaskName}' was expected");
        }
        var classes = snapshot.Classes;
        if (classes.Length != takesPart.Length)
        {
            throw new InvalidDataException($"task '{TaskName}': {classes.Length} stored pseudo-labels, but the run has {takesPart.Length} chunks");
        }
        for (var i = 0; i < classes.Length; i++)
        {
            if ((classes[i] >= 0) != takesPart[i] || classes[i] >= task.Classes.Count)
            {
                throw new InvalidDataException($"task '{TaskName}': stored pseudo-label {classes[i]} at chunk slot {i} does not fit the run's labels");
            }
        }
        using (var scope = torch.NewDisposeScope())
        {
            task.AssignPseudoClasses(torch.tensor(classes, task.Labels.shape));
        }
        ClusteredAtEpoch = snapshot.ClusteredAtEpoch;
    }
}
