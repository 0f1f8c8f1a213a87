using SerNotebooks.Evaluation;
using SerNotebooks.Models;
using SerNotebooks.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// Fine-tuning: encoder + a new emotion head, cross-entropy on the emotion labels (or, with
/// <see cref="TrainingConfig.Labels"/> other than intended or a <see cref="TrainingConfig.Penalty"/>, the
/// <see cref="TargetDistributionLoss"/> against <see cref="FinetuneTargets"/>). Adam has two parameter groups: the
/// head at the learning rate, the encoder at <see cref="TrainingConfig.EncoderLearningRateScale"/> × it (no encoder
/// group with <see cref="TrainingConfig.FreezeEncoder"/>). During the first <see cref="TrainingConfig.EncoderWarmupEpochs"/>
/// epochs the encoder is frozen (no gradient, batch-norm statistics fixed, no dropout). The best epoch has the highest
/// dev macro-F1 against the intended labels (training clips when there is no dev split); the run ends with predictions.csv
/// through <see cref="PredictionsFile"/>, with the perceived labels as further references when the clips have rater votes.
/// </summary>
internal sealed class FinetuningObjective : ITrainingObjective
{
    private readonly TrainingConfig config;
    private readonly TrainingData data;
    private readonly EmotionClassifier classifier;
    private readonly TaskLabelTensor emotions;
    private readonly FinetuneTargets? targets;

    public FinetuningObjective(TrainingConfig config, TrainingData data)
    {
        this.config = config;
        this.data = data;
        emotions = data.Tasks[0];
        targets = FinetuneTargets.Create(config, data.Dataset, data.Train);
        classifier = TrainingRun.CreateEmotionClassifier(config);
        Optimizer = FinetuningOptimizer.Create(config, classifier);
    }

    public nn.Module Model => classifier;

    public optim.Optimizer Optimizer { get; }

    public IReadOnlyList<string> Columns { get; } = ["dev_loss", "dev_accuracy", "dev_macro_f1"];

    public IReadOnlyList<string> TrainTaskColumns { get; } = [];

    public IReadOnlyList<string> TaskNames => [emotions.TaskName];

    public string ScoreDescription => "higher dev macro-F1";

    public bool CanStopEarly => true;

    /// <summary>Emotion labels are fixed: nothing to store.</summary>
    public IReadOnlyList<PseudoClassSnapshot> PseudoClasses() => [];

    public void RestorePseudoClasses(IReadOnlyList<PseudoClassSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count > 0)
        {
            throw new InvalidDataException("a fine-tuning run has no pseudo-class tasks to restore");
        }
    }

    public void BeginEpoch(int epoch)
    {
        classifier.train();
        var frozen = FinetuningOptimizer.EncoderFrozenIn(config, epoch);
        foreach (var parameter in classifier.Encoder.parameters())
        {
            parameter.requires_grad = !frozen;
        }
        if (frozen)
        {
            // A frozen encoder keeps its batch-norm statistics and uses no dropout.
            classifier.Encoder.eval();
        }
    }

    public (Tensor? Total, double?[] TaskLosses) Loss(TrainingBatch batch)
    {
        var logits = classifier.forward(batch.Inputs, batch.ChunkMask);
        var loss = targets is null
            ? nn.functional.cross_entropy(logits, batch.Labels[emotions.TaskName])
            : TargetDistributionLoss.Compute(logits, targets.Distributions.index_select(0, batch.Index).to(logits.device), targets.Loss,
                targets.Penalty, config.Penalty?.Alpha ?? 0, config.Penalty?.Beta ?? 1);
        return (loss, [loss?.item<float>()]);
    }

    public double EvaluateEpoch(IDictionary<string, double> row)
    {
        var evaluation = Evaluate(data.Dev.Length > 0 ? data.Dev : data.Train);
        row["dev_loss"] = evaluation.Loss;
        row["dev_accuracy"] = evaluation.Scores.Accuracy;
        row["dev_macro_f1"] = evaluation.Scores.Macro.F1;
        return evaluation.Scores.Macro.F1;
    }

    public IReadOnlyDictionary<string, double> Finish(RunFolder folder)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (targets?.Matrix is { } matrix)
        {
            AtomicFile.WriteAllText(Path.Combine(folder.Directory, PenaltyMatrix.FileName), matrix.ToCsv());
        }
        foreach (var (name, indices) in new[] { ("dev", data.Dev), ("test", data.Test) })
        {
            if (indices.Length == 0)
            {
                continue;
            }
            var evaluation = Evaluate(indices);
            metrics[$"{name}_loss"] = evaluation.Loss;
            metrics[$"{name}_accuracy"] = evaluation.Scores.Accuracy;
            metrics[$"{name}_macro_precision"] = evaluation.Scores.Macro.Precision;
            metrics[$"{name}_macro_recall"] = evaluation.Scores.Macro.Recall;
            metrics[$"{name}_macro_f1"] = evaluation.Scores.Macro.F1;
            metrics[$"{name}_utterances"] = indices.Length;
            var predictions = evaluation.Predictions(config.Emotions, indices.Select(i => data.Dataset.Clips[i]).ToArray());
            foreach (var reference in predictions.ReferenceNames.Where(r => predictions.Predictions.Any(p => p.References[r].Length > 0)))
            {
                // Scored against the raters' perceived labels too (clips with a single majority only).
                var against = predictions.Against(reference);
                var scores = ClassificationReport.FromPredictions(against);
                metrics[$"{name}_{reference}_accuracy"] = scores.Accuracy;
                metrics[$"{name}_{reference}_macro_f1"] = scores.Macro.F1;
                metrics[$"{name}_{reference}_utterances"] = against.Count;
            }
            if (name == "test" || data.Test.Length == 0)
            {
                PredictionsFile.Write(folder.PredictionsPath, predictions);
            }
        }
        return metrics;
    }

    private sealed record Evaluation(double Loss, ClassificationReport Scores, int[] Truth, int[] Predicted, float[][] Probabilities)
    {
        /// <summary>
        /// The predictions file's content. Each float probability goes through its shortest round-trip text, so the
        /// file holds the same digits as the float (0.1f is written "0.1", not 0.100000001490116).
        /// </summary>
        public PredictionSet Predictions(IReadOnlyList<string> classes, IReadOnlyList<DatasetClip> clips)
        {
            var set = PredictionSet.FromIndices(classes, clips.Select(c => c.Id).ToArray(), Truth, Predicted,
                Probabilities.Select(row => (IReadOnlyList<double>)row.Select(p => double.Parse(p.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray());
            return clips.All(c => c.Raters is null)
                ? set
                : new PredictionSet(classes, set.Predictions.Select((p, i) => p with { References = PerceivedReferences(classes, clips[i]) }));
        }

        /// <summary>The clip's perceived (single-majority) label per rating modality the model's input relates to; empty when there is none.</summary>
        private static Dictionary<string, string> PerceivedReferences(IReadOnlyList<string> classes, DatasetClip clip) =>
            new[] { Data.CremaD.RatingModality.Voice, Data.CremaD.RatingModality.AudioVisual }.ToDictionary(
                m => PredictionsFile.ReferencePrefix + Data.CremaD.CremaDPerception.ColumnSuffix[m],
                m => clip.Raters?.Votes.GetValueOrDefault(m)?.UniqueMajority is { } label && TaskLabelTensor.IndexOf(classes, label) is var k and >= 0
                    ? classes[k]
                    : string.Empty,
                StringComparer.Ordinal);
    }

    private Evaluation Evaluate(int[] indices)
    {
        classifier.eval();
        var truth = new int[indices.Length];
        var predicted = new int[indices.Length];
        var probabilities = new float[indices.Length][];
        var lossSum = 0.0;
        var offset = 0;
        using (torch.no_grad())
        {
            foreach (var rows in data.Batches(indices))
            {
                using var scope = torch.NewDisposeScope();
                var batch = data.Batch(rows);
                var logits = classifier.forward(batch.Inputs, batch.ChunkMask);
                var targets = batch.Labels[emotions.TaskName];
                lossSum += nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum).item<float>();
                var probs = TorchDevices.OnCpu(logits.softmax(1)).data<float>().ToArray();
                var labels = TorchDevices.OnCpu(targets).data<long>().ToArray();
                var classes = (int)logits.shape[1];
                for (var b = 0; b < batch.Size; b++)
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
                    probabilities[offset + b] = row;
                    truth[offset + b] = (int)labels[b];
                    predicted[offset + b] = best;
                }
                offset += batch.Size;
            }
        }
        return new Evaluation(lossSum / Math.Max(1, indices.Length),
            ClassificationReport.Compute(truth, predicted, config.Emotions), truth, predicted, probabilities);
    }

    public void Dispose()
    {
        targets?.Dispose();
        Optimizer.Dispose();
        classifier.Dispose();
    }
}

/// <summary>How fine-tuning trains its parameters: Adam's parameter groups and the encoder's warm-up.</summary>
public static class FinetuningOptimizer
{
    /// <summary>
    /// Adam with the head's group first (learning rate lr) and, unless the encoder is frozen for the whole run, the
    /// encoder's group (lr × <see cref="TrainingConfig.EncoderLearningRateScale"/>).
    /// </summary>
    public static Adam Create(TrainingConfig config, EmotionClassifier classifier)
    {
        var (lr, decay) = (config.Optimizer.LearningRate, config.Optimizer.WeightDecay);
        var groups = new List<Adam.ParamGroup> { new(classifier.Head.parameters(), lr, weight_decay: decay) };
        if (!config.FreezeEncoder)
        {
            groups.Add(new Adam.ParamGroup(classifier.Encoder.parameters(), lr * config.EncoderLearningRateScale, weight_decay: decay));
        }
        return torch.optim.Adam(groups, lr, weight_decay: decay);
    }

    /// <summary>True while <paramref name="epoch"/> trains the head only.</summary>
    public static bool EncoderFrozenIn(TrainingConfig config, int epoch) => config.FreezeEncoder || epoch <= config.EncoderWarmupEpochs;
}
