using System.Globalization;
using SerNotebooks.Evaluation;
using SerNotebooks.Models;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Tests.Training;

/// <summary>
/// The pieces the two training objectives add to the shared loop: pretext dev scores and information gain, class
/// weights, best epoch and early stopping, fine-tuning's Adam parameter groups and encoder warm-up, predictions written
/// through PredictionsFile. Runs use a small synthetic in-memory dataset (seconds).
/// </summary>
public sealed class TrainingObjectiveTests : IDisposable
{
    private const int Chunks = 2;
    private const int Frames = 8;
    private const int Features = 4;
    private readonly string root = Path.Combine(Path.GetTempPath(), "sernb-objective-" + Guid.NewGuid().ToString("N"));

    public TrainingObjectiveTests() => TorchRuntime.EnsureLoadable();

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // 40 clips of 8 speakers (5 each): s1–s6 train, s7 dev, s8 test. Emotion "b" (every third clip) and the utterance
    // task's class 1 raise the features' level, so both can be learned; the rest is pseudo-random noise.
    private static ChunkedDataset Dataset()
    {
        var clips = Enumerable.Range(0, 40).Select(i =>
        {
            var speaker = i / 5 + 1;
            var split = speaker <= 6 ? TrainingRun.TrainRole : speaker == 7 ? TrainingRun.DevRole : TrainingRun.TestRole;
            return new DatasetClip($"c{i:00}", $"s{speaker}", split, i % 3 == 0 ? "b" : "a");
        }).ToArray();
        var state = 12345UL;
        var inputs = new float[clips.Length * Chunks * Frames * Features];
        for (var i = 0; i < inputs.Length; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            var clip = i / (Chunks * Frames * Features);
            inputs[i] = (float)((state >> 40) / (double)(1UL << 24)) + (clip % 3 == 0 ? 1.5f : 0f);
        }
        return ChunkedDataset.FromArrays(clips, inputs, Chunks, Frames, Features);
    }

    // Utterance task "mood": class 1 for every third clip (33 %: balanced enough, majority 67 % → weighted).
    private static PretextLabelSet Mood() =>
        new("mood", LabelGranularity.Utterance, ["calm", "aroused"], "{}",
            Enumerable.Range(0, 40).ToDictionary(i => $"c{i:00}", i => new ClipTaskLabels($"c{i:00}", null, i % 3 == 0 ? 1 : 0, "audio", null)));

    private static ModelConfig Model => new() { InputFeatures = Features, ConvChannels = 4, ConvKernel = 3, AttentionHidden = 4, Dropout = 0.1 };

    private static TrainingConfig Pretraining => new()
    {
        Kind = RunKind.Pretrain,
        Tasks = [new TaskWeight("mood")],
        Model = Model,
        Optimizer = new OptimizerConfig { LearningRate = 1e-2 },
        BatchSize = 8,
        Epochs = 4,
        Patience = 0,
        Seed = 3,
        Threads = 1,
    };

    private static TrainingConfig FineTuning => new()
    {
        Kind = RunKind.Finetune,
        Emotions = ["a", "b"],
        Model = Model,
        Optimizer = new OptimizerConfig { LearningRate = 1e-2 },
        BatchSize = 8,
        Epochs = 2,
        Patience = 0,
        Seed = 3,
        Threads = 1,
    };

    private string RunDirectory(string name) => Path.Combine(root, name);

    [Fact]
    public void InformationGainIsThePriorEntropyMinusTheUnweightedDevCrossEntropy()
    {
        // Prior from training labels 3 × class 0, 1 × class 1: H = −(¾ ln ¾ + ¼ ln ¼) = 0.5623 nats.
        var prior = ClassFrequencies.Count([0, 0, 0, 1, -1], 2);
        Assert.Equal(0.562335, prior.PriorEntropy, 5);
        Assert.Equal(0.75, prior.MajorityShare);
        // Dev: logits that give p = (0.8, 0.2) for every entry; labels 0, 0, 1, and one missing (−1).
        var scoring = new PretextTaskScoring(2, prior.PriorEntropy);
        var logit = (float)Math.Log(0.8 / 0.2);
        scoring.Add(torch.tensor(new float[] { logit, 0, logit, 0, logit, 0, logit, 0 }, [4, 2]), torch.tensor(new long[] { 0, 0, 1, -1 }));
        var scores = scoring.Scores();

        var crossEntropy = -(2 * Math.Log(0.8) + Math.Log(0.2)) / 3;   // 0.6852
        Assert.Equal(3, scores.Labelled);
        Assert.Equal(crossEntropy, scores.CrossEntropy, 5);
        Assert.Equal(2.0 / 3, scores.Accuracy, 10);
        Assert.Equal(0.5, scores.BalancedAccuracy, 10);   // recall 1 for class 0, 0 for class 1
        Assert.Equal(0.562335 - crossEntropy, scores.InformationGain, 5);
        Assert.True(scores.InformationGain < 0);
        Assert.Equal(scores.CrossEntropy, scores.WeightedCrossEntropy, 10);

        // With class weights (1, 3) the weighted mean counts the class-1 entry 3 times; the plain cross-entropy is unchanged.
        var weighted = new PretextTaskScoring(2, prior.PriorEntropy, [1.0, 3.0]);
        weighted.Add(torch.tensor(new float[] { logit, 0, logit, 0, logit, 0 }, [3, 2]), torch.tensor(new long[] { 0, 0, 1 }));
        Assert.Equal(crossEntropy, weighted.Scores().CrossEntropy, 5);
        Assert.Equal(-(2 * Math.Log(0.8) + 3 * Math.Log(0.2)) / 5, weighted.Scores().WeightedCrossEntropy, 5);
    }

    [Fact]
    public void ClassWeightsAreOnOnlyAboveHalfAndAreSqrtInverseFrequencyWithMeanOne()
    {
        Assert.Null(ClassWeights.For(new ClassFrequencies([50, 50]), ClassWeighting.Auto));
        Assert.Null(ClassWeights.For(new ClassFrequencies([50, 30, 20]), ClassWeighting.Auto));   // majority exactly 50 %
        Assert.Null(ClassWeights.For(new ClassFrequencies([65, 20, 15]), ClassWeighting.Off));
        var weights = ClassWeights.For(new ClassFrequencies([64, 16, 0, 16]), ClassWeighting.Auto)!;
        // 1/√p: 1/√(2/3) = 1.2247, 1/√(1/6) = 2.4495 (×2); absent class 0; mean over present classes 1.
        Assert.Equal(0, weights[2]);
        Assert.Equal(1.0, weights.Where(w => w > 0).Average(), 10);
        Assert.Equal(2.0, weights[1] / weights[0], 10);
        Assert.Equal(weights[1], weights[3]);
    }

    [Fact]
    public void BestEpochIsTheHighestScoreAndPatienceStopsAfterThatManyEpochsWithoutImprovement()
    {
        var tracker = new BestEpochTracker(patience: 2, canStopEarly: true);
        // Scores are −dev loss: losses 1.0, 0.8, 0.9, 0.85, 0.82 → best epoch 2, stop after epoch 4.
        Assert.True(tracker.Record(1, -1.0, 10));
        Assert.True(tracker.Record(2, -0.8, 10));
        Assert.False(tracker.Record(3, -0.9, 10));
        Assert.False(tracker.StoppedEarly);
        Assert.False(tracker.Record(4, -0.85, 10));
        Assert.True(tracker.StoppedEarly);
        Assert.Equal(2, tracker.BestEpoch);
        Assert.Equal(2, tracker.EpochsWithoutImprovement);

        // Without held-out clips (pre-training without a dev split) the same scores never stop the run.
        var noDev = new BestEpochTracker(patience: 2, canStopEarly: false);
        foreach (var (epoch, score) in new[] { (1, -1.0), (2, -0.8), (3, -0.9), (4, -0.85) })
        {
            noDev.Record(epoch, score, 10);
        }
        Assert.False(noDev.StoppedEarly);
        Assert.Equal(2, noDev.BestEpoch);

        // A restored tracker continues the count: one more epoch without improvement stops it.
        var resumed = new BestEpochTracker(2, true, new CheckpointState(3, "m", "o", 2, -0.8, 1, false, 1, "adam", 1e-3, 0, ""));
        resumed.Record(4, -0.85, 10);
        Assert.True(resumed.StoppedEarly);
    }

    [Fact]
    public void PretrainingPicksTheEpochWithTheLowestDevObjectiveAndReportsPerTaskDevScoresAndClassWeights()
    {
        using var dataset = Dataset();
        var run = RunDirectory("pretrain");
        var result = TrainingRun.RunInMemory(Pretraining, run, dataset, [Mood()]);

        var rows = new RunFolder(run).ReadMetrics(int.MaxValue);
        Assert.Equal(4, rows.Count);
        var devObjectives = rows.Select(r => r["dev_objective"]).ToArray();
        Assert.Equal(Array.IndexOf(devObjectives, devObjectives.Min()) + 1, result.BestEpoch);
        Assert.Equal(devObjectives.Min(), result.Metrics["dev_objective"], 6);
        Assert.Equal(rows[result.BestEpoch - 1]["dev_loss"], result.Metrics["dev_loss"], 6);
        foreach (var row in rows)
        {
            Assert.Equal(row["dev_loss_mood"], row["dev_loss"], 10);   // one task, weight 1
            Assert.InRange(row["dev_accuracy_mood"], 0, 1);
            Assert.InRange(row["dev_balanced_accuracy_mood"], 0, 1);
        }
        // Training labels: 30 clips of speakers s1–s6, 10 of them class 1.
        var prior = -(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3));
        Assert.Equal(prior, result.Metrics["prior_entropy_mood"], 6);
        Assert.Equal(prior - result.Metrics["dev_loss_mood"], result.Metrics["dev_info_gain_mood"], 6);
        Assert.Equal(prior - rows[0]["dev_loss_mood"], rows[0]["dev_info_gain_mood"], 6);
        // 67 % majority: weighted, weights recorded (√2 : 1, mean 1).
        Assert.Equal(1, result.Metrics["class_weighted_mood"]);
        Assert.Equal(Math.Sqrt(2), result.Metrics["class_weight_mood_aroused"] / result.Metrics["class_weight_mood_calm"], 6);

        using var unweightedData = Dataset();
        var unweighted = TrainingRun.RunInMemory(Pretraining with { ClassWeighting = ClassWeighting.Off }, RunDirectory("pretrain-off"), unweightedData, [Mood()]);
        Assert.Equal(0, unweighted.Metrics["class_weighted_mood"]);
        Assert.Equal(unweighted.Metrics["dev_loss"], unweighted.Metrics["dev_objective"], 10);
        Assert.DoesNotContain("class_weight_mood_calm", unweighted.Metrics.Keys);
        Assert.Contains("\"classWeighting\": \"off\"", File.ReadAllText(new RunFolder(RunDirectory("pretrain-off")).ConfigPath));
    }

    [Fact]
    public void FineTuningGivesTheEncoderItsOwnAdamGroupAtScaleTimesTheLearningRate()
    {
        var config = FineTuning with { EncoderLearningRateScale = 0.1 };
        using var classifier = TrainingRun.CreateEmotionClassifier(config);
        using var optimizer = FinetuningOptimizer.Create(config, classifier);

        var groups = optimizer.ParamGroups.Cast<TorchSharp.Modules.ParamGroup>().ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Equal(1e-2, groups[0].LearningRate, 12);
        Assert.Equal(1e-3, groups[1].LearningRate, 12);
        Assert.Equal(classifier.Head.parameters().Select(p => p.Handle), groups[0].Parameters.Select(p => p.Handle));
        Assert.Equal(classifier.Encoder.parameters().Select(p => p.Handle), groups[1].Parameters.Select(p => p.Handle));

        using var frozen = TrainingRun.CreateEmotionClassifier(config with { FreezeEncoder = true });
        using var headOnly = FinetuningOptimizer.Create(config with { FreezeEncoder = true }, frozen);
        Assert.Single(headOnly.ParamGroups);
    }

    [Fact]
    public void WarmUpTrainsTheHeadAloneThenUnfreezesTheEncoder()
    {
        using var dataset = Dataset();
        var config = FineTuning with { Epochs = 2, EncoderWarmupEpochs = 1 };
        Assert.True(FinetuningOptimizer.EncoderFrozenIn(config, 1));
        Assert.False(FinetuningOptimizer.EncoderFrozenIn(config, 2));
        (Dictionary<string, float[]> Encoder, Dictionary<string, float[]> Head) initial;
        using (var start = TrainingRun.CreateEmotionClassifier(config))
        {
            initial = Snapshot(start);
        }
        var run = RunDirectory("warmup");
        var afterEpoch = new Dictionary<int, (Dictionary<string, float[]> Encoder, Dictionary<string, float[]> Head)>();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.EpochEnd)
            {
                using var checkpoint = new EmotionClassifier(config.Model, config.Emotions.Count);
                checkpoint.load(new RunFolder(run).EpochModelPath(p.Epoch));
                afterEpoch[p.Epoch] = Snapshot(checkpoint);
            }
        });
        TrainingRun.RunInMemory(config, run, dataset, [], progress);

        // Epoch 1: every encoder tensor (weights and batch-norm statistics) as initialised; the head learned.
        Assert.All(initial.Encoder, p => Assert.Equal(p.Value, afterEpoch[1].Encoder[p.Key]));
        Assert.Contains(initial.Head, p => !p.Value.SequenceEqual(afterEpoch[1].Head[p.Key]));
        // Epoch 2: the encoder trains.
        Assert.Contains(initial.Encoder, p => !p.Value.SequenceEqual(afterEpoch[2].Encoder[p.Key]));
        Assert.Throws<ArgumentException>(() => (config with { EncoderWarmupEpochs = 2 }).Validate(requireManifests: false));
        Assert.Throws<ArgumentException>(() => (config with { FreezeEncoder = true }).Validate(requireManifests: false));
    }

    [Fact]
    public void PredictionsAreWrittenThroughPredictionsFileAndRoundTrip()
    {
        using var dataset = Dataset();
        var run = RunDirectory("predictions");
        TrainingRun.RunInMemory(FineTuning, run, dataset, []);

        var path = new RunFolder(run).PredictionsPath;
        var predictions = PredictionsFile.Read(path, ["a", "b"]);
        Assert.Equal(Enumerable.Range(35, 5).Select(i => $"c{i:00}"), predictions.Predictions.Select(p => p.Id));   // speaker s8: test
        Assert.Equal("id,true_label,predicted_label,prob_a,prob_b", File.ReadLines(path).First());
        var copy = Path.Combine(root, "copy.csv");
        PredictionsFile.Write(copy, predictions);
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(copy));
        // Probabilities keep the float's shortest digits (what the training loop computed).
        Assert.All(predictions.Predictions, p => Assert.All(p.Probabilities,
            v => Assert.Equal(v, double.Parse(((float)v).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void RunsInterruptedAcrossTheWarmUpOrWithAPretextDevSetResumeToTheSameNumbers()
    {
        var finetune = FineTuning with { Epochs = 3, EncoderWarmupEpochs = 1, EncoderLearningRateScale = 0.5 };
        var pretrain = Pretraining with { Epochs = 3, Patience = 2 };
        foreach (var (name, config, labels) in new[] { ("finetune", finetune, Array.Empty<PretextLabelSet>()), ("pretrain", pretrain, [Mood()]) })
        {
            using var wholeData = Dataset();
            var whole = TrainingRun.RunInMemory(config, RunDirectory(name + "-whole"), wholeData, labels);

            var run = RunDirectory(name + "-interrupted");
            using (var cancellation = new CancellationTokenSource())
            {
                using var firstData = Dataset();
                var stopAfterEpoch1 = new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (p.Phase == TrainingPhase.EpochEnd && p.Epoch == 1)
                    {
                        cancellation.Cancel();
                    }
                });
                Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.RunInMemory(config, run, firstData, labels, stopAfterEpoch1, cancellation.Token));
            }
            using var resumedData = Dataset();
            var resumed = TrainingRun.RunInMemory(config, run, resumedData, labels);

            Assert.Equal(whole.Metrics, resumed.Metrics);
            Assert.Equal(whole.BestEpoch, resumed.BestEpoch);
            Assert.Equal(File.ReadAllBytes(new RunFolder(RunDirectory(name + "-whole")).BestModelPath), File.ReadAllBytes(new RunFolder(run).BestModelPath));
        }
    }

    private static (Dictionary<string, float[]> Encoder, Dictionary<string, float[]> Head) Snapshot(EmotionClassifier classifier)
    {
        static Dictionary<string, float[]> Values(torch.nn.Module module) => module.state_dict()
            .Where(p => p.Value.dtype == torch.ScalarType.Float32)
            .ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
        return (Values(classifier.Encoder), Values(classifier.Head));
    }
}
