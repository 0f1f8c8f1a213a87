using SerNotebooks.Models;
using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// Pre-training: the encoder and one head per pretext task, the masked multi-task loss (class-weighted for imbalanced
/// tasks), and per epoch each task's pretext dev cross-entropy, accuracy, balanced accuracy and information gain. The
/// best epoch has the lowest pretext dev objective, the training loss measured on the dev speakers (Σ_t w_t · dev CE_t,
/// class-weighted where the task trains weighted); without a dev split, the lowest training loss. The reported
/// per-task dev losses and information gains are unweighted (they are compared with the prior's entropy).
/// A regression task (<see cref="LabelKind.Regression"/>) trains on the masked mean squared error of its standardised
/// targets; its dev loss is that error and R² takes the place of accuracy, balanced accuracy and information gain
/// (<see cref="RegressionTaskScores"/>).
/// A pseudo-class task (<see cref="LabelKind.PseudoClasses"/>, the clustering task) gets its classes here: at the start
/// of each re-clustering epoch (<see cref="PseudoClassSchedule"/>) <see cref="PseudoClassLabels"/> clusters the encoder's
/// chunk embeddings, its head is re-initialised, and its cross-entropy weighs each cluster by its inverse training
/// frequency (standing in for DeepEmoCluster's uniform sampling per cluster); its prior and information gain are those
/// of the current pseudo-labels.
/// </summary>
internal sealed class PretrainingObjective : ITrainingObjective
{
    private readonly TrainingConfig config;
    private readonly TrainingData data;
    private readonly IReadOnlyList<PretextLabelSet> labelSets;
    private readonly PretrainingModel model;
    private readonly double[] taskWeights;
    private readonly ClassFrequencies?[] priors;
    private readonly double[]?[] classWeights;
    private readonly Tensor?[] classWeightTensors;
    private readonly PseudoClassLabels[] pseudoClasses;

    public PretrainingObjective(TrainingConfig config, TrainingData data, IReadOnlyList<PretextLabelSet> labelSets)
    {
        this.config = config;
        this.data = data;
        this.labelSets = labelSets;
        var tasks = data.Tasks;
        taskWeights = config.Tasks.Select(t => t.Weight).ToArray();
        model = new PretrainingModel(config.Model, tasks.Select(t => new PretextHeadSpec(t.TaskName, t.Granularity, t.Classes.Count, t.Kind)).ToArray());
        if (data.Device.type != DeviceType.CPU)
        {
            // Before the optimiser is made, so that it holds the device's parameters.
            model.to(data.Device);
        }
        Optimizer = torch.optim.Adam(model.parameters(), config.Optimizer.LearningRate, weight_decay: config.Optimizer.WeightDecay);
        priors = tasks.Select(t => t.Kind == LabelKind.Regression ? null : TrainingLabels(t, data.Train)).ToArray();
        classWeights = priors.Select(p => p is null ? null : ClassWeights.For(p, config.ClassWeighting)).ToArray();
        classWeightTensors = classWeights.Select(w => w is null ? null : torch.tensor(w.Select(x => (float)x).ToArray(), device: data.Device)).ToArray();
        pseudoClasses = tasks
            .Select((t, i) => t.Kind == LabelKind.PseudoClasses
                ? new PseudoClassLabels(i, t, PseudoClassSchedule.FromStateJson(labelSets[i].LabellerStateJson))
                : null)
            .OfType<PseudoClassLabels>()
            .ToArray();
        foreach (var pseudo in pseudoClasses)
        {
            RefreshPseudoClassWeights(pseudo);
        }
        TaskNames = tasks.Select(t => t.TaskName).ToArray();
        TrainTaskColumns = TaskNames.Select(t => $"train_loss_{t}").ToArray();
        Columns = data.Dev.Length == 0
            ? TrainTaskColumns
            : [.. TrainTaskColumns, "dev_loss", "dev_objective", .. TaskNames.Select(t => $"dev_loss_{t}"),
                .. tasks.SelectMany(t => t.Kind == LabelKind.Regression
                    ? new[] { $"dev_r2_{t.TaskName}" }
                    : new[] { $"dev_accuracy_{t.TaskName}", $"dev_balanced_accuracy_{t.TaskName}", $"dev_info_gain_{t.TaskName}" })];
    }

    public nn.Module Model => model;

    public optim.Optimizer Optimizer { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string> TrainTaskColumns { get; }

    public IReadOnlyList<string> TaskNames { get; }

    public string ScoreDescription => data.Dev.Length > 0 ? "lower pretext dev objective" : "lower training loss";

    public bool CanStopEarly => data.Dev.Length > 0;

    public void BeginEpoch(int epoch)
    {
        foreach (var pseudo in pseudoClasses.Where(p => p.Schedule.IsReclusterEpoch(epoch)))
        {
            // Its own seed per (run seed, epoch, task); the torch generator (head re-initialisation, then dropout) was
            // seeded for the epoch by the session, so the draws below are the same in a resumed run.
            pseudo.Recluster(model, data, epoch, TrainingRun.EpochSeed(config.Seed, epoch) ^ (0x6B6D65616E73L + pseudo.TaskIndex));
            model.ReinitialiseHead(pseudo.TaskName);
            AdamMoments.Reset(Optimizer, model.Head(pseudo.TaskName).parameters());
            RefreshPseudoClassWeights(pseudo);
        }
        model.train();
    }

    public IReadOnlyList<PseudoClassSnapshot> PseudoClasses() => pseudoClasses.Select(p => p.Snapshot()).ToArray();

    public void RestorePseudoClasses(IReadOnlyList<PseudoClassSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count != pseudoClasses.Length)
        {
            throw new InvalidDataException($"{snapshots.Count} stored pseudo-class task(s), but the run has {pseudoClasses.Length}");
        }
        for (var p = 0; p < pseudoClasses.Length; p++)
        {
            pseudoClasses[p].Restore(snapshots[p]);
            RefreshPseudoClassWeights(pseudoClasses[p]);
        }
    }

    /// <summary>The prior and the cross-entropy's class weights of a pseudo-class task's current classes.</summary>
    private void RefreshPseudoClassWeights(PseudoClassLabels pseudo)
    {
        var t = pseudo.TaskIndex;
        priors[t] = TrainingLabels(data.Tasks[t], data.Train);
        classWeights[t] = ClassWeights.InverseFrequency(priors[t]!);
        classWeightTensors[t]?.Dispose();
        classWeightTensors[t] = torch.tensor(classWeights[t]!.Select(x => (float)x).ToArray(), device: data.Device);
    }

    public (Tensor? Total, double?[] TaskLosses) Loss(TrainingBatch batch) =>
        PretrainingLoss.MaskedMultiTaskLoss(model.forward(batch.Inputs, batch.ChunkMask), batch, taskWeights, classWeightTensors);

    public double EvaluateEpoch(IDictionary<string, double> row)
    {
        if (data.Dev.Length == 0)
        {
            return -row["train_loss"];
        }
        var (devLoss, devObjective, scores) = Evaluate(data.Dev);
        row["dev_loss"] = devLoss;
        row["dev_objective"] = devObjective;
        for (var t = 0; t < TaskNames.Count; t++)
        {
            scores[t].AddDevColumns(row, TaskNames[t]);
        }
        return -devObjective;
    }

    public IReadOnlyDictionary<string, double> Finish(RunFolder folder)
    {
        model.Encoder.Save(folder.EncoderPath);
        System.IO.Directory.CreateDirectory(folder.LabelsDirectory);
        foreach (var set in labelSets)
        {
            PretextLabelSetFile.Write(set, folder.LabelsDirectory);
            AtomicFile.WriteAllText(Path.Combine(folder.LabelsDirectory, set.TaskName + ".state.json"), set.LabellerStateJson);
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var (trainLoss, _, trainScores) = Evaluate(data.Train);
        metrics["train_loss"] = trainLoss;
        for (var t = 0; t < TaskNames.Count; t++)
        {
            var task = TaskNames[t];
            metrics[$"train_loss_{task}"] = trainScores[t].Loss;
            metrics[$"labelled_clips_{task}"] = data.Tasks[t].LabelledClips;
            if (priors[t] is { } prior)
            {
                metrics[$"prior_entropy_{task}"] = prior.PriorEntropy;
                metrics[$"majority_share_{task}"] = prior.MajorityShare;
            }
            metrics[$"class_weighted_{task}"] = classWeights[t] is null ? 0 : 1;
            if (pseudoClasses.FirstOrDefault(p => p.TaskIndex == t) is { } pseudo)
            {
                metrics[$"clustered_at_epoch_{task}"] = pseudo.ClusteredAtEpoch;
            }
            if (classWeights[t] is { } weights)
            {
                for (var k = 0; k < weights.Length; k++)
                {
                    metrics[$"class_weight_{task}_{data.Tasks[t].Classes[k]}"] = weights[k];
                }
            }
        }
        if (data.Dev.Length > 0)
        {
            var (devLoss, devObjective, scores) = Evaluate(data.Dev);
            metrics["dev_loss"] = devLoss;
            metrics["dev_objective"] = devObjective;
            for (var t = 0; t < TaskNames.Count; t++)
            {
                scores[t].AddDevColumns(metrics, TaskNames[t]);
                metrics[$"dev_labelled_{TaskNames[t]}"] = scores[t].Labelled;
            }
        }
        return metrics;
    }

    /// <summary>
    /// Scores per task on <paramref name="indices"/>; Total = Σ_t w_t·CE_t (unweighted; a regression task's MSE in place
    /// of CE), Objective = the same with each task's class weights (the training loss on these clips).
    /// </summary>
    private (double Total, double Objective, TaskScores[] Scores) Evaluate(int[] indices)
    {
        model.eval();
        var scoring = data.Tasks.Select((t, i) => new TaskScoring(t.Kind == LabelKind.Regression
            ? null
            : new PretextTaskScoring(t.Classes.Count, priors[i]!.PriorEntropy, classWeights[i]))).ToArray();
        using (torch.no_grad())
        {
            foreach (var rows in data.Batches(indices))
            {
                using var scope = torch.NewDisposeScope();
                var batch = data.Batch(rows);
                var outputs = model.forward(batch.Inputs, batch.ChunkMask);
                for (var t = 0; t < data.Tasks.Count; t++)
                {
                    scoring[t].Add(outputs[TaskNames[t]], batch.Labels[TaskNames[t]]);
                }
            }
        }
        var scores = scoring.Select(s => s.Scores()).ToArray();
        var total = scores.Select((s, t) => double.IsNaN(s.Loss) ? 0 : s.Loss * taskWeights[t]).Sum();
        var objective = scores.Select((s, t) => double.IsNaN(s.WeightedLoss) ? 0 : s.WeightedLoss * taskWeights[t]).Sum();
        return (total, objective, scores);
    }

    /// <summary>A classification task's scores or a regression task's.</summary>
    private sealed record TaskScores(PretextTaskScores? Classification, RegressionTaskScores? Regression)
    {
        public double Loss => Classification?.CrossEntropy ?? Regression!.MeanSquaredError;

        public double WeightedLoss => Classification?.WeightedCrossEntropy ?? Regression!.MeanSquaredError;

        public long Labelled => Classification?.Labelled ?? Regression!.Labelled;

        /// <summary>The task's dev columns of metrics.csv and final-metrics.json.</summary>
        public void AddDevColumns(IDictionary<string, double> row, string task)
        {
            row[$"dev_loss_{task}"] = Loss;
            if (Classification is { } c)
            {
                row[$"dev_accuracy_{task}"] = c.Accuracy;
                row[$"dev_balanced_accuracy_{task}"] = c.BalancedAccuracy;
                row[$"dev_info_gain_{task}"] = c.InformationGain;
            }
            else
            {
                row[$"dev_r2_{task}"] = Regression!.RSquared;
            }
        }
    }

    /// <summary>Accumulates <see cref="TaskScores"/>: <paramref name="classification"/>, or regression when it is null.</summary>
    private sealed class TaskScoring(PretextTaskScoring? classification)
    {
        private readonly RegressionTaskScoring? regression = classification is null ? new RegressionTaskScoring() : null;

        public void Add(Tensor outputs, Tensor labels)
        {
            classification?.Add(outputs, labels);
            regression?.Add(outputs, labels);
        }

        public TaskScores Scores() => new(classification?.Scores(), regression?.Scores());
    }

    private static ClassFrequencies TrainingLabels(TaskLabelTensor task, int[] train)
    {
        using var scope = torch.NewDisposeScope();
        var labels = task.Labels.index_select(0, torch.tensor(train.Select(i => (long)i).ToArray())).reshape(-1).data<long>().ToArray();
        return ClassFrequencies.Count(labels, task.Classes.Count);
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        model.Dispose();
        foreach (var tensor in classWeightTensors)
        {
            tensor?.Dispose();
        }
    }
}

/// <summary>The masked (and optionally class-weighted) multi-task cross-entropy every pre-training step minimises.</summary>
public static class PretrainingLoss
{
    /// <summary>
    /// Mean cross-entropy over the entries whose target is not −1; (0, 0) when there are none (never NaN). With
    /// <paramref name="classWeights"/> [K] it is the weighted mean Σ w_y·CE / Σ w_y (PyTorch's <c>weight</c>).
    /// </summary>
    public static (Tensor Loss, long Count) MaskedCrossEntropy(Tensor logits, Tensor targets, Tensor? classWeights = null)
    {
        var flatLogits = logits.reshape(-1, logits.shape[^1]);
        var flatTargets = targets.reshape(-1);
        var valid = flatTargets.ge(0).nonzero().squeeze(1);
        var count = valid.shape[0];
        if (count == 0)
        {
            return (torch.zeros([], dtype: ScalarType.Float32, device: logits.device), 0);
        }
        return (nn.functional.cross_entropy(flatLogits.index_select(0, valid), flatTargets.index_select(0, valid), weight: classWeights), count);
    }

    /// <summary>
    /// Mean squared error over the entries whose target is finite (NaN = missing); (0, 0) when there are none (never NaN).
    /// </summary>
    public static (Tensor Loss, long Count) MaskedMeanSquaredError(Tensor predictions, Tensor targets)
    {
        var flatPredictions = predictions.reshape(-1);
        var flatTargets = targets.reshape(-1);
        var valid = flatTargets.isfinite().nonzero().squeeze(1);
        var count = valid.shape[0];
        if (count == 0)
        {
            return (torch.zeros([], dtype: ScalarType.Float32, device: predictions.device), 0);
        }
        return (nn.functional.mse_loss(flatPredictions.index_select(0, valid), flatTargets.index_select(0, valid)), count);
    }

    /// <summary>
    /// The pre-training loss of one batch: L = Σ_t w_t·L_t over the batch's tasks, where L_t is
    /// <see cref="MaskedCrossEntropy"/> of task t's logits against its labels in the batch (entries labelled −1 are
    /// left out), or for a regression task (float targets) <see cref="MaskedMeanSquaredError"/> of its predictions. A task with no labelled entry in the batch adds nothing and gets null in <c>TaskLosses</c>;
    /// <c>Total</c> is null when no task has one (a run then skips the step).
    /// </summary>
    /// <param name="logits">Per task name, its head's logits: [B, C, K] for a chunk task, [B, K] for an utterance task.</param>
    /// <param name="batch">The batch the logits were computed from; its <see cref="TrainingBatch.TaskNames"/> are the tasks summed.</param>
    /// <param name="weights">w_t, one per task of <paramref name="batch"/> in its order; null weighs every task 1.</param>
    /// <param name="classWeights">Per task (batch order) its class weights [K], or null for unweighted; null for all unweighted.</param>
    /// <exception cref="ArgumentException">The weights do not match the batch's tasks.</exception>
    /// <exception cref="KeyNotFoundException">A task of the batch has no logits.</exception>
    public static (Tensor? Total, double?[] TaskLosses) MaskedMultiTaskLoss(
        IReadOnlyDictionary<string, Tensor> logits, TrainingBatch batch, IReadOnlyList<double>? weights = null, IReadOnlyList<Tensor?>? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(batch);
        var tasks = batch.TaskNames;
        if (weights is not null && weights.Count != tasks.Count)
        {
            throw new ArgumentException($"{weights.Count} weight(s) for the batch's {tasks.Count} task(s) ({string.Join(", ", tasks)})", nameof(weights));
        }
        if (classWeights is not null && classWeights.Count != tasks.Count)
        {
            throw new ArgumentException($"{classWeights.Count} class weight vector(s) for the batch's {tasks.Count} task(s)", nameof(classWeights));
        }
        var taskLosses = new double?[tasks.Count];
        Tensor? total = null;
        for (var t = 0; t < tasks.Count; t++)
        {
            if (!logits.TryGetValue(tasks[t], out var taskLogits))
            {
                throw new KeyNotFoundException($"no logits for task '{tasks[t]}' (logits given for: {string.Join(", ", logits.Keys)})");
            }
            var labels = batch.Labels[tasks[t]];
            var (loss, count) = labels.dtype == ScalarType.Float32
                ? MaskedMeanSquaredError(taskLogits, labels)
                : MaskedCrossEntropy(taskLogits, labels, classWeights?[t]);
            if (count == 0)
            {
                continue;
            }
            taskLosses[t] = loss.item<float>();
            var weighted = loss * (weights?[t] ?? 1.0);
            total = total is null ? weighted : total + weighted;
        }
        return (total, taskLosses);
    }
}
