using System.Diagnostics;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One run in memory: the data and the one epoch loop shared by both stages (batching, checkpoints and resume, best
/// epoch, early stopping, progress, metrics rows). What differs between pre-training and fine-tuning is the
/// <see cref="ITrainingObjective"/>. Built by <see cref="TrainingRun"/>.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly TrainingConfig config;
    private readonly RunFolder folder;
    private readonly TrainingData data;
    private readonly bool ownsDataset;
    private readonly ITrainingObjective objective;
    private readonly IProgress<TrainingProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly List<string> columns;

    private TrainingSession(
        TrainingConfig config, RunFolder folder, ChunkedDataset dataset, bool ownsDataset, IReadOnlyList<TaskLabelTensor> tasks,
        IReadOnlyList<PretextLabelSet> labelSets, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        this.config = config;
        this.folder = folder;
        this.ownsDataset = ownsDataset;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        data = new TrainingData(dataset, tasks, dataset.IndicesOf(TrainingRun.TrainRole), dataset.IndicesOf(TrainingRun.DevRole),
            dataset.IndicesOf(TrainingRun.TestRole), config.BatchSize)
        {
            Device = Native.TorchDevices.Resolve(config.Device),
        };
        if (data.Train.Length == 0)
        {
            throw new TrainingRunException($"no clips in the training split ({string.Join(", ", config.Splits.Train)})");
        }

        // Initialisation depends on the seed only.
        torch.manual_seed(config.Seed);
        objective = config.Kind == RunKind.Pretrain
            ? new PretrainingObjective(config, data, labelSets)
            : new FinetuningObjective(config, data);
        columns = ["epoch", "train_loss", .. objective.Columns, "seconds"];
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
        var dataset = RunDataset.Build(clips, extractor, config.Chunking, config.FeaturePrecision ?? Features.Shards.ShardPrecision.Float32,
            config.Rows, Math.Max(1, config.Threads), loadProgress);
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
                    clips.Where(c => c.Split == TrainingRun.TrainRole).Select(c => c.Entry.Id).ToHashSet(StringComparer.Ordinal),
                    config.Chunking,
                    extractor,
                    config.Rows));
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
        var model = objective.Model;
        var rows = new List<IReadOnlyDictionary<string, double>>();
        var state = RunFolder.ReadJson<CheckpointState>(folder.LastStatePath);
        if (state is not null)
        {
            model.load(state.ModelFile is var m && Path.IsPathRooted(m) ? m : Path.Combine(folder.CheckpointDirectory, m));
            LoadOptimizer(Path.Combine(folder.CheckpointDirectory, state.OptimizerFile));
            RestorePseudoClasses(folder.EpochPseudoClassPath(state.Epoch));
            rows = folder.ReadMetrics(state.Epoch);
            progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Resumed, state.Epoch, config.Epochs, 0, 0, 0,
                new Dictionary<string, double>(), TimeSpan.Zero, null, rows.LastOrDefault(), $"resuming after epoch {state.Epoch}"));
        }
        var epoch = state?.Epoch ?? 0;
        var best = new BestEpochTracker(config.Patience, objective.CanStopEarly, state);
        var stepsPerEpoch = (data.Train.Length + config.BatchSize - 1) / config.BatchSize;
        var clock = Stopwatch.StartNew();
        var stepsDone = 0;
        var stepsAtStart = epoch * stepsPerEpoch;
        TimeSpan Remaining() => stepsDone == 0 ? TimeSpan.Zero : clock.Elapsed / stepsDone * Math.Max(0, config.Epochs * stepsPerEpoch - stepsAtStart - stepsDone);

        while (epoch < config.Epochs && !best.StoppedEarly)
        {
            epoch++;
            var epochClock = Stopwatch.StartNew();
            var epochSeed = TrainingRun.EpochSeed(config.Seed, epoch);
            torch.manual_seed(epochSeed);
            var order = TrainingRun.Shuffle(data.Train, epochSeed);
            objective.BeginEpoch(epoch);
            var lossSum = 0.0;
            var taskSums = new double[objective.TaskNames.Count];
            var taskSteps = new int[objective.TaskNames.Count];
            var steps = 0;
            // The loader reads the epoch's batches in this order ahead of the steps (shard-backed datasets).
            using var loader = new BatchLoader(data.Dataset, data.BatchesOf(order));
            foreach (var batch in loader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (loss, taskLosses) = TrainStep(batch);
                steps++;
                stepsDone++;
                lossSum += loss;
                for (var t = 0; t < taskLosses.Length; t++)
                {
                    if (taskLosses[t] is { } value)
                    {
                        taskSums[t] += value;
                        taskSteps[t]++;
                    }
                }
                progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Step, epoch, config.Epochs, steps, stepsPerEpoch, loss,
                    TaskDictionary(taskLosses), clock.Elapsed, Remaining()));
            }

            var row = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["epoch"] = epoch,
                ["train_loss"] = lossSum / Math.Max(1, steps),
            };
            for (var t = 0; t < objective.TrainTaskColumns.Count; t++)
            {
                row[objective.TrainTaskColumns[t]] = taskSteps[t] == 0 ? double.NaN : taskSums[t] / taskSteps[t];
            }
            var score = objective.EvaluateEpoch(row);
            row["seconds"] = Math.Round(epochClock.Elapsed.TotalSeconds, 3);
            rows.Add(row);

            if (best.Record(epoch, score, config.Epochs))
            {
                ModelFiles.SaveAtomically(model, folder.BestModelPath);
                SavePseudoClasses(folder.BestPseudoClassPath);
                RunFolder.WriteJson(folder.BestStatePath, new { epoch, score });
            }
            Checkpoint(epoch, best, rows);
            progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.EpochEnd, epoch, config.Epochs, steps, stepsPerEpoch,
                row["train_loss"], new Dictionary<string, double>(), clock.Elapsed, Remaining(), row,
                best.StoppedEarly ? $"no {objective.ScoreDescription} for {best.EpochsWithoutImprovement} epochs: stopping early" : null));
        }

        var result = Finish(epoch, best.BestEpoch, best.StoppedEarly);
        progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Finished, epoch, config.Epochs, 0, stepsPerEpoch, 0,
            new Dictionary<string, double>(), clock.Elapsed, TimeSpan.Zero, result.Metrics));
        return result;
    }

    private (double Loss, double?[] TaskLosses) TrainStep(LoadedRows batch)
    {
        using var scope = torch.NewDisposeScope();
        var (total, taskLosses) = objective.Loss(data.Batch(batch));
        if (total is null)
        {
            return (0, taskLosses);
        }
        objective.Optimizer.zero_grad();
        total.backward();
        objective.Optimizer.step();
        return (total.item<float>(), taskLosses);
    }

    private void Checkpoint(int epoch, BestEpochTracker best, IReadOnlyList<IReadOnlyDictionary<string, double>> rows)
    {
        var modelPath = folder.EpochModelPath(epoch);
        var optimizerPath = folder.EpochOptimizerPath(epoch);
        ModelFiles.SaveAtomically(objective.Model, modelPath);
        AtomicFile.Write(optimizerPath, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            ((TorchSharp.Modules.OptimizerHelper)objective.Optimizer).save_state_dict(writer);
            writer.Flush();
        });
        var pseudoClassPath = folder.EpochPseudoClassPath(epoch);
        SavePseudoClasses(pseudoClassPath);
        folder.WriteMetrics(columns, rows);
        // The JSON is the commit point: until it is replaced, a resume uses the previous epoch's files.
        RunFolder.WriteJson(folder.LastStatePath, new CheckpointState(
            epoch, Path.GetFileName(modelPath), Path.GetFileName(optimizerPath), best.BestEpoch, best.BestScore, best.EpochsWithoutImprovement,
            best.StoppedEarly, config.Seed, "adam", config.Optimizer.LearningRate, config.Optimizer.WeightDecay,
            $"torch.manual_seed(EpochSeed(seed, e)) and SplitMix64 shuffle(EpochSeed(seed, e)) at the start of each epoch e; next epoch {epoch + 1}"));
        foreach (var stale in System.IO.Directory.EnumerateFiles(folder.CheckpointDirectory, "epoch-*"))
        {
            if (stale != modelPath && stale != optimizerPath && stale != pseudoClassPath)
            {
                File.Delete(stale);
            }
        }
    }

    /// <summary>Stores the objective's pseudo-classes (<see cref="PseudoClassFile"/>) when it has any.</summary>
    private void SavePseudoClasses(string path)
    {
        var snapshots = objective.PseudoClasses();
        if (snapshots.Count > 0)
        {
            AtomicFile.Write(path, stream => PseudoClassFile.Write(stream, snapshots));
        }
    }

    /// <summary>Puts back the pseudo-classes stored with a checkpoint or the best model, when the objective has any.</summary>
    private void RestorePseudoClasses(string path)
    {
        if (objective.PseudoClasses().Count == 0)
        {
            return;
        }
        if (!File.Exists(path))
        {
            throw new TrainingRunException($"{path}: missing; the run's pseudo-classes cannot be restored (delete the run folder to start over)");
        }
        try
        {
            objective.RestorePseudoClasses(PseudoClassFile.Read(path));
        }
        catch (InvalidDataException e)
        {
            throw new TrainingRunException($"{path}: {e.Message}", e);
        }
    }

    private void LoadOptimizer(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        ((TorchSharp.Modules.OptimizerHelper)objective.Optimizer).load_state_dict(reader);
    }

    private TrainingResult Finish(int epochsRun, int bestEpoch, bool stoppedEarly)
    {
        objective.Model.load(folder.BestModelPath);
        RestorePseudoClasses(folder.BestPseudoClassPath);
        var result = new TrainingResult(config.Kind, epochsRun, bestEpoch, stoppedEarly, objective.Finish(folder));
        RunFolder.WriteJson(folder.FinalMetricsPath, result);
        return result;
    }

    private Dictionary<string, double> TaskDictionary(double?[] losses)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var t = 0; t < losses.Length; t++)
        {
            if (losses[t] is { } value)
            {
                result[objective.TaskNames[t]] = value;
            }
        }
        return result;
    }

    public void Dispose()
    {
        objective.Dispose();
        foreach (var task in data.Tasks)
        {
            task.Dispose();
        }
        if (ownsDataset)
        {
            data.Dataset.Dispose();
        }
    }
}

/// <summary>An IProgress that calls back on the reporting thread (Progress&lt;T&gt; would post to a thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
