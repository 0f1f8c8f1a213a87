using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>One run in memory: data, model, optimiser and the epoch loop. Built by <see cref="TrainingRun"/>.</summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly TrainingConfig config;
    private readonly RunFolder folder;
    private readonly ChunkedDataset dataset;
    private readonly bool ownsDataset;
    private readonly IReadOnlyList<TaskLabelTensor> tasks;
    private readonly IReadOnlyList<double> taskWeights;
    private readonly IReadOnlyList<PretextLabelSet> labelSets;
    private readonly nn.Module model;
    private readonly PretrainingModel? pretraining;
    private readonly EmotionClassifier? classifier;
    private readonly optim.Optimizer optimizer;
    private readonly IProgress<TrainingProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly int[] trainIndices;
    private readonly int[] devIndices;
    private readonly int[] testIndices;
    private readonly List<string> columns;

    private TrainingSession(
        TrainingConfig config, RunFolder folder, ChunkedDataset dataset, bool ownsDataset, IReadOnlyList<TaskLabelTensor> tasks,
        IReadOnlyList<PretextLabelSet> labelSets, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        this.config = config;
        this.folder = folder;
        this.dataset = dataset;
        this.ownsDataset = ownsDataset;
        this.tasks = tasks;
        this.labelSets = labelSets;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        trainIndices = dataset.IndicesOf(TrainingRun.TrainRole);
        devIndices = dataset.IndicesOf(TrainingRun.DevRole);
        testIndices = dataset.IndicesOf(TrainingRun.TestRole);
        if (trainIndices.Length == 0)
        {
            throw new TrainingRunException($"no clips in the training split ({string.Join(", ", config.Splits.Train)})");
        }

        // Initialisation depends on the seed only.
        torch.manual_seed(config.Seed);
        if (config.Kind == RunKind.Pretrain)
        {
            taskWeights = config.Tasks.Select(t => t.Weight).ToArray();
            pretraining = new PretrainingModel(config.Model,
                tasks.Select(t => new PretextHeadSpec(t.TaskName, t.Granularity, t.Classes.Count)).ToArray());
            model = pretraining;
            optimizer = torch.optim.Adam(pretraining.parameters(), config.Optimizer.LearningRate, weight_decay: config.Optimizer.WeightDecay);
            columns = ["epoch", "train_loss", .. tasks.Select(t => $"train_loss_{t.TaskName}")];
            if (devIndices.Length > 0)
            {
                columns.AddRange(["dev_loss", .. tasks.Select(t => $"dev_loss_{t.TaskName}")]);
            }
        }
        else
        {
            taskWeights = [1.0];
            classifier = TrainingRun.CreateEmotionClassifier(config);
            model = classifier;
            var trainable = config.FreezeEncoder ? classifier.Head.parameters() : classifier.parameters();
            optimizer = torch.optim.Adam(trainable, config.Optimizer.LearningRate, weight_decay: config.Optimizer.WeightDecay);
            columns = ["epoch", "train_loss", "dev_loss", "dev_accuracy", "dev_macro_f1"];
        }
        columns.Add("seconds");
    }

    public static TrainingSession Create(
        TrainingConfig config, RunFolder folder, IPretextLabelSource? labels, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clips = TrainingRun.SelectClips(config);
        if (clips.Count == 0)
        {
            throw new TrainingRunException("the manifests hold no clips in the configured splits");
        }
        var cache = config.FeatureCache is null ? null : new FeatureCache(config.FeatureCache);
        var extractor = new FeatureExtractor(cache: cache);
        var loadClock = Stopwatch.StartNew();
        var loadProgress = progress is null ? null : new SynchronousProgress<int>(done =>
            progress.Report(new TrainingProgress(config.Kind, TrainingPhase.Loading, 0, config.Epochs, done, clips.Count, 0,
                new Dictionary<string, double>(), loadClock.Elapsed, null)));
        var dataset = ChunkedDataset.Build(clips, extractor, config.Chunking, Math.Max(1, config.Threads), loadProgress);
        try
        {
            IReadOnlyList<PretextLabelSet> labelSets = [];
            if (config.Kind == RunKind.Pretrain)
            {
                var source = labels ?? (config.LabelsDirectory is { } dir
                    ? new PretextLabelSetDirectory(dir)
                    : throw new TrainingRunException("pre-training needs labels: set labelsDirectory in the config or pass a label source"));
                labelSets = source.GetLabelSets(new PretextLabelRequest(
                    config.Manifests.Select(Manifest.Load).ToArray(),
                    config.Tasks.Select(t => t.Name).ToArray(),
                    dataset.Clips.Where(c => c.Split == TrainingRun.TrainRole).Select(c => c.Id).ToHashSet(StringComparer.Ordinal),
                    config.Chunking,
                    extractor));
            }
            return FromDataset(config, folder, dataset, ownsDataset: true, labelSets, progress, cancellationToken);
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    /// <summary>A session over a dataset already in memory (not yet normalised); labels for pre-training runs.</summary>
    public static TrainingSession FromDataset(
        TrainingConfig config, RunFolder folder, ChunkedDataset dataset, bool ownsDataset, IReadOnlyList<PretextLabelSet> labelSets,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var taskTensors = new List<TaskLabelTensor>();
        try
        {
            dataset.Normalize(ResolveNormalization(config, folder, dataset));
            var orderedSets = new List<PretextLabelSet>();
            if (config.Kind == RunKind.Pretrain)
            {
                foreach (var task in config.Tasks)
                {
                    var set = labelSets.FirstOrDefault(s => s.TaskName == task.Name)
                        ?? throw new TrainingRunException($"the label source returned no labels for task '{task.Name}'");
                    orderedSets.Add(set);
                    var tensor = TaskLabelTensor.FromLabelSet(set, dataset);
                    taskTensors.Add(tensor);
                    if (tensor.LabelledClips == 0)
                    {
                        throw new TrainingRunException($"task '{task.Name}' has no labels for any clip of this run");
                    }
                }
            }
            else
            {
                taskTensors.Add(TaskLabelTensor.FromEmotions(dataset, config.Emotions));
            }
            return new TrainingSession(config, folder, dataset, ownsDataset, taskTensors, orderedSets, progress, cancellationToken);
        }
        catch
        {
            foreach (var tensor in taskTensors)
            {
                tensor.Dispose();
            }
            if (ownsDataset)
            {
                dataset.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// Fine-tuning from a pre-trained encoder keeps the normalisation the encoder was trained with; every other
    /// run fits mean/std on its own training clips. Either way the run stores it (normalisation.json).
    /// </summary>
    private static FeatureNormalization ResolveNormalization(TrainingConfig config, RunFolder folder, ChunkedDataset dataset)
    {
        FeatureNormalization normalization;
        if (config.Kind == RunKind.Finetune && config.PretrainedRun is { } pretrainedRun)
        {
            var pretrained = new RunFolder(pretrainedRun);
            if (RunFolder.ReadJson<TrainingResult>(pretrained.FinalMetricsPath) is null)
            {
                throw new TrainingRunException($"{pretrainedRun}: not a finished pre-training run (final-metrics.json is missing)");
            }
            var pretrainedConfig = RunFolder.ReadJson<TrainingConfig>(pretrained.ConfigPath)
                ?? throw new TrainingRunException($"{pretrained.ConfigPath}: missing");
            if (pretrainedConfig.Model != config.Model)
            {
                throw new TrainingRunException(
                    $"{pretrained.ConfigPath}: the pre-trained encoder's model settings differ from this run's (they must be identical)");
            }
            if (pretrainedConfig.Chunking != config.Chunking)
            {
                throw new TrainingRunException($"{pretrained.ConfigPath}: the pre-training run used different chunking");
            }
            normalization = RunFolder.ReadJson<FeatureNormalization>(pretrained.NormalizationPath)
                ?? throw new TrainingRunException($"{pretrained.NormalizationPath}: missing");
        }
        else
        {
            normalization = dataset.FitNormalization(dataset.IndicesOf(TrainingRun.TrainRole));
        }
        RunFolder.WriteJson(folder.NormalizationPath, normalization);
        return normalization;
    }

    public TrainingResult Run()
    {
        var rows = new List<IReadOnlyDictionary<string, double>>();
        var state = RunFolder.ReadJson<CheckpointState>(folder.LastStatePath);
        if (state is not null)
        {
            model.load(state.ModelFile is var m && Path.IsPathRooted(m) ? m : Path.Combine(folder.CheckpointDirectory, m));
            LoadOptimizer(Path.Combine(folder.CheckpointDirectory, state.OptimizerFile));
            rows = folder.ReadMetrics(state.Epoch);
            progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Resumed, state.Epoch, config.Epochs, 0, 0, 0,
                new Dictionary<string, double>(), TimeSpan.Zero, null, rows.LastOrDefault(), $"resuming after epoch {state.Epoch}"));
        }
        var epoch = state?.Epoch ?? 0;
        var bestEpoch = state?.BestEpoch ?? 0;
        var bestScore = state?.BestScore ?? double.NegativeInfinity;
        var sinceBest = state?.EpochsWithoutImprovement ?? 0;
        var stoppedEarly = state?.StoppedEarly ?? false;
        var stepsPerEpoch = (trainIndices.Length + config.BatchSize - 1) / config.BatchSize;
        var clock = Stopwatch.StartNew();
        var stepsDone = 0;
        var stepsAtStart = epoch * stepsPerEpoch;

        while (epoch < config.Epochs && !stoppedEarly)
        {
            epoch++;
            var epochClock = Stopwatch.StartNew();
            var epochSeed = TrainingRun.EpochSeed(config.Seed, epoch);
            torch.manual_seed(epochSeed);
            var order = TrainingRun.Shuffle(trainIndices, epochSeed);
            SetTrainingMode();
            var lossSum = 0.0;
            var taskSums = new double[tasks.Count];
            var taskSteps = new int[tasks.Count];
            var steps = 0;
            for (var start = 0; start < order.Length; start += config.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(config.BatchSize, order.Length - start)).ToArray();
                var (loss, taskLosses) = TrainStep(batch);
                steps++;
                stepsDone++;
                lossSum += loss;
                for (var t = 0; t < tasks.Count; t++)
                {
                    if (taskLosses[t] is { } value)
                    {
                        taskSums[t] += value;
                        taskSteps[t]++;
                    }
                }
                var remaining = (config.Epochs * stepsPerEpoch) - stepsAtStart - stepsDone;
                progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Step, epoch, config.Epochs, steps, stepsPerEpoch, loss,
                    TaskDictionary(taskLosses), clock.Elapsed, clock.Elapsed / stepsDone * remaining));
            }

            var row = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["epoch"] = epoch,
                ["train_loss"] = lossSum / Math.Max(1, steps),
            };
            if (pretraining is not null)
            {
                for (var t = 0; t < tasks.Count; t++)
                {
                    row[$"train_loss_{tasks[t].TaskName}"] = taskSteps[t] == 0 ? double.NaN : taskSums[t] / taskSteps[t];
                }
            }
            double score;
            if (classifier is not null)
            {
                var dev = devIndices.Length > 0 ? devIndices : trainIndices;
                var evaluation = EvaluateClassifier(dev);
                row["dev_loss"] = evaluation.Loss;
                row["dev_accuracy"] = evaluation.Scores.Accuracy;
                row["dev_macro_f1"] = evaluation.Scores.Macro.F1;
                score = evaluation.Scores.Macro.F1;
            }
            else if (devIndices.Length > 0)
            {
                var (devLoss, devTasks) = EvaluatePretraining(devIndices);
                row["dev_loss"] = devLoss;
                for (var t = 0; t < tasks.Count; t++)
                {
                    row[$"dev_loss_{tasks[t].TaskName}"] = devTasks[t];
                }
                score = -devLoss;
            }
            else
            {
                score = -row["train_loss"];
            }
            row["seconds"] = Math.Round(epochClock.Elapsed.TotalSeconds, 3);
            rows.Add(row);

            // The first epoch is always "best" so a run whose score is NaN still has a model to finish with.
            if (score > bestScore || bestEpoch == 0)
            {
                bestScore = score;
                bestEpoch = epoch;
                sinceBest = 0;
                ModelFiles.SaveAtomically(model, folder.BestModelPath);
                RunFolder.WriteJson(folder.BestStatePath, new { epoch, score = bestScore });
            }
            else
            {
                sinceBest++;
            }
            stoppedEarly = classifier is not null && config.Patience > 0 && sinceBest >= config.Patience && epoch < config.Epochs;
            Checkpoint(epoch, bestEpoch, bestScore, sinceBest, stoppedEarly, rows);
            progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.EpochEnd, epoch, config.Epochs, steps, stepsPerEpoch,
                row["train_loss"], new Dictionary<string, double>(), clock.Elapsed,
                stepsDone == 0 ? null : clock.Elapsed / stepsDone * Math.Max(0, config.Epochs * stepsPerEpoch - stepsAtStart - stepsDone), row,
                stoppedEarly ? $"no better dev macro-F1 for {sinceBest} epochs: stopping early" : null));
        }

        var result = Finish(epoch, bestEpoch, stoppedEarly);
        progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Finished, epoch, config.Epochs, 0, stepsPerEpoch, 0,
            new Dictionary<string, double>(), clock.Elapsed, TimeSpan.Zero, result.Metrics));
        return result;
    }

    private void SetTrainingMode()
    {
        model.train();
        if (classifier is not null && config.FreezeEncoder)
        {
            // A frozen encoder keeps its batch-norm statistics and uses no dropout.
            classifier.Encoder.eval();
        }
    }

    private (double Loss, double?[] TaskLosses) TrainStep(int[] batch)
    {
        using var scope = torch.NewDisposeScope();
        var (total, taskLosses) = Losses(TrainingBatch.Select(dataset, tasks, batch));
        if (total is null)
        {
            return (0, taskLosses);
        }
        optimizer.zero_grad();
        total.backward();
        optimizer.step();
        return (total.item<float>(), taskLosses);
    }

    /// <summary>Weighted sum of the tasks' masked losses (<see cref="TrainingRun.MaskedMultiTaskLoss"/>); null when no task has a label in the batch.</summary>
    private (Tensor? Total, double?[] TaskLosses) Losses(TrainingBatch batch)
    {
        if (classifier is not null)
        {
            var logits = classifier.forward(batch.Inputs, batch.ChunkMask);
            var loss = nn.functional.cross_entropy(logits, batch.Labels[tasks[0].TaskName]);
            return (loss, [loss.item<float>()]);
        }
        return TrainingRun.MaskedMultiTaskLoss(pretraining!.forward(batch.Inputs, batch.ChunkMask), batch, taskWeights);
    }

    private (double Loss, double[] TaskLosses) EvaluatePretraining(int[] indices)
    {
        model.eval();
        var sums = new double[tasks.Count];
        var counts = new long[tasks.Count];
        using (torch.no_grad())
        {
            for (var start = 0; start < indices.Length; start += config.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var index = torch.tensor(indices.Skip(start).Take(config.BatchSize).Select(i => (long)i).ToArray());
                var outputs = pretraining!.forward(dataset.Inputs.index_select(0, index), dataset.ChunkMask.index_select(0, index));
                for (var t = 0; t < tasks.Count; t++)
                {
                    var (loss, count) = TrainingRun.MaskedCrossEntropy(outputs[tasks[t].TaskName], tasks[t].Labels.index_select(0, index));
                    sums[t] += loss.item<float>() * count;
                    counts[t] += count;
                }
            }
        }
        var perTask = sums.Select((s, t) => counts[t] == 0 ? double.NaN : s / counts[t]).ToArray();
        var total = perTask.Select((l, t) => double.IsNaN(l) ? 0 : l * taskWeights[t]).Sum();
        return (total, perTask);
    }

    private sealed record ClassifierEvaluation(double Loss, ClassificationReport Scores, int[] Truth, int[] Predicted, float[][] Probabilities);

    private ClassifierEvaluation EvaluateClassifier(int[] indices)
    {
        model.eval();
        var truth = new int[indices.Length];
        var predicted = new int[indices.Length];
        var probabilities = new float[indices.Length][];
        var lossSum = 0.0;
        using (torch.no_grad())
        {
            for (var start = 0; start < indices.Length; start += config.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var batch = indices.Skip(start).Take(config.BatchSize).Select(i => (long)i).ToArray();
                var index = torch.tensor(batch);
                var logits = classifier!.forward(dataset.Inputs.index_select(0, index), dataset.ChunkMask.index_select(0, index));
                var targets = tasks[0].Labels.index_select(0, index);
                lossSum += nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum).item<float>();
                var probs = logits.softmax(1).data<float>().ToArray();
                var labels = targets.data<long>().ToArray();
                var classes = (int)logits.shape[1];
                for (var b = 0; b < batch.Length; b++)
                {
                    var row = probs.AsSpan(b * classes, classes).ToArray();
                    var best = 0;
                    for (var c = 1; c < classes; c++)
                    {
                        if (row[c] > row[best])
                        {
                            best = c;
                        }
                    }
                    probabilities[start + b] = row;
                    truth[start + b] = (int)labels[b];
                    predicted[start + b] = best;
                }
            }
        }
        return new ClassifierEvaluation(lossSum / Math.Max(1, indices.Length),
            ClassificationReport.Compute(truth, predicted, config.Emotions), truth, predicted, probabilities);
    }

    private void Checkpoint(int epoch, int bestEpoch, double bestScore, int sinceBest, bool stoppedEarly, IReadOnlyList<IReadOnlyDictionary<string, double>> rows)
    {
        var modelPath = folder.EpochModelPath(epoch);
        var optimizerPath = folder.EpochOptimizerPath(epoch);
        ModelFiles.SaveAtomically(model, modelPath);
        AtomicFile.Write(optimizerPath, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
            writer.Flush();
        });
        folder.WriteMetrics(columns, rows);
        // The JSON is the commit point: until it is replaced, a resume uses the previous epoch's files.
        RunFolder.WriteJson(folder.LastStatePath, new CheckpointState(
            epoch, Path.GetFileName(modelPath), Path.GetFileName(optimizerPath), bestEpoch, bestScore, sinceBest, stoppedEarly,
            config.Seed, "adam", config.Optimizer.LearningRate, config.Optimizer.WeightDecay,
            $"torch.manual_seed(EpochSeed(seed, e)) and SplitMix64 shuffle(EpochSeed(seed, e)) at the start of each epoch e; next epoch {epoch + 1}"));
        foreach (var stale in System.IO.Directory.EnumerateFiles(folder.CheckpointDirectory, "epoch-*"))
        {
            if (stale != modelPath && stale != optimizerPath)
            {
                File.Delete(stale);
            }
        }
    }

    private void LoadOptimizer(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
    }

    private TrainingResult Finish(int epochsRun, int bestEpoch, bool stoppedEarly)
    {
        model.load(folder.BestModelPath);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (pretraining is not null)
        {
            pretraining.Encoder.Save(folder.EncoderPath);
            System.IO.Directory.CreateDirectory(folder.LabelsDirectory);
            foreach (var set in labelSets)
            {
                PretextLabelSetFile.Write(set, folder.LabelsDirectory);
                AtomicFile.WriteAllText(Path.Combine(folder.LabelsDirectory, set.TaskName + ".state.json"), set.LabellerStateJson);
            }
            var (trainLoss, trainTasks) = EvaluatePretraining(trainIndices);
            metrics["train_loss"] = trainLoss;
            for (var t = 0; t < tasks.Count; t++)
            {
                metrics[$"train_loss_{tasks[t].TaskName}"] = trainTasks[t];
                metrics[$"labelled_clips_{tasks[t].TaskName}"] = tasks[t].LabelledClips;
            }
            if (devIndices.Length > 0)
            {
                var (devLoss, devTasks) = EvaluatePretraining(devIndices);
                metrics["dev_loss"] = devLoss;
                for (var t = 0; t < tasks.Count; t++)
                {
                    metrics[$"dev_loss_{tasks[t].TaskName}"] = devTasks[t];
                }
            }
        }
        else
        {
            foreach (var (name, indices) in new[] { ("dev", devIndices), ("test", testIndices) })
            {
                if (indices.Length == 0)
                {
                    continue;
                }
                var evaluation = EvaluateClassifier(indices);
                metrics[$"{name}_loss"] = evaluation.Loss;
                metrics[$"{name}_accuracy"] = evaluation.Scores.Accuracy;
                metrics[$"{name}_macro_precision"] = evaluation.Scores.Macro.Precision;
                metrics[$"{name}_macro_recall"] = evaluation.Scores.Macro.Recall;
                metrics[$"{name}_macro_f1"] = evaluation.Scores.Macro.F1;
                metrics[$"{name}_utterances"] = indices.Length;
                if (name == "test" || testIndices.Length == 0)
                {
                    WritePredictions(indices, evaluation);
                }
            }
        }
        var result = new TrainingResult(config.Kind, epochsRun, bestEpoch, stoppedEarly, metrics);
        RunFolder.WriteJson(folder.FinalMetricsPath, result);
        return result;
    }

    /// <summary>predictions.csv: id, true_label, predicted_label, prob_&lt;class&gt; per emotion (test split, or dev when there is no test split).</summary>
    private void WritePredictions(int[] indices, ClassifierEvaluation evaluation) =>
        AtomicFile.Write(folder.PredictionsPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField("id");
            csv.WriteField("true_label");
            csv.WriteField("predicted_label");
            foreach (var emotion in config.Emotions)
            {
                csv.WriteField($"prob_{emotion}");
            }
            csv.NextRecord();
            for (var i = 0; i < indices.Length; i++)
            {
                csv.WriteField(dataset.Clips[indices[i]].Id);
                csv.WriteField(config.Emotions[evaluation.Truth[i]]);
                csv.WriteField(config.Emotions[evaluation.Predicted[i]]);
                foreach (var p in evaluation.Probabilities[i])
                {
                    csv.WriteField(p.ToString("R", CultureInfo.InvariantCulture));
                }
                csv.NextRecord();
            }
        });

    private Dictionary<string, double> TaskDictionary(double?[] losses)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var t = 0; t < tasks.Count; t++)
        {
            if (losses[t] is { } value)
            {
                result[tasks[t].TaskName] = value;
            }
        }
        return result;
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        foreach (var task in tasks)
        {
            task.Dispose();
        }
        if (ownsDataset)
        {
            dataset.Dispose();
        }
    }
}

/// <summary>An IProgress that calls back on the reporting thread (Progress&lt;T&gt; would post to a thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
