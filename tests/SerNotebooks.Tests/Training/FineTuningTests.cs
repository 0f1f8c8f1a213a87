using System.Globalization;
using SerNotebooks.Models;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Tests.Training;

[Collection("training tiny corpus")]
public class FineTuningTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void FineTuningStartsFromThePretrainedEncodersWeights()
    {
        var pretrainRun = corpus.NewRunDirectory("pretrain");
        TrainingRun.Run(corpus.Pretraining(new TaskWeight("energy-std")) with { Epochs = 1 }, pretrainRun, new RuleLabelSource());
        using var pretrained = new SpeechEncoder(TrainingCorpusFixture.SmallModel);
        pretrained.Load(new RunFolder(pretrainRun).EncoderPath);
        var expected = pretrained.state_dict();

        var config = corpus.FineTuning(epochs: 2) with { PretrainedRun = pretrainRun };
        using (var start = TrainingRun.CreateEmotionClassifier(config))
        {
            AssertSameWeights(expected, start.Encoder.state_dict());
        }
        using (var baseline = TrainingRun.CreateEmotionClassifier(config with { PretrainedRun = null }))
        {
            var random = baseline.Encoder.state_dict();
            Assert.Contains(expected.Keys, key => !Same(random[key], expected[key]));
        }

        // A frozen encoder leaves the run with exactly the pre-trained encoder; only the head learned.
        var frozenRun = corpus.NewRunDirectory("frozen");
        TrainingRun.Run(config with { FreezeEncoder = true }, frozenRun);
        using var finished = new EmotionClassifier(config.Model, config.Emotions.Count);
        finished.load(new RunFolder(frozenRun).BestModelPath);
        AssertSameWeights(expected, finished.Encoder.state_dict());
        using var initialHead = TrainingRun.CreateEmotionClassifier(config);
        Assert.Contains(finished.Head.state_dict(), p => !Same(p.Value, initialHead.Head.state_dict()[p.Key]));
    }

    [Fact]
    public void AnInterruptedRunResumesAndEndsWithTheSameMetricsAsAnUninterruptedOne()
    {
        var config = corpus.FineTuning(epochs: 4);
        var whole = corpus.NewRunDirectory("whole");
        var uninterrupted = TrainingRun.Run(config, whole);

        var run = corpus.NewRunDirectory("interrupted");
        using (var cancellation = new CancellationTokenSource())
        {
            var stopAfterEpoch2 = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == TrainingPhase.EpochEnd && p.Epoch == 2)
                {
                    cancellation.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Run(config, run, progress: stopAfterEpoch2, cancellationToken: cancellation.Token));
        }
        var folder = new RunFolder(run);
        Assert.False(File.Exists(folder.FinalMetricsPath));
        Assert.Equal(2, RunFolder.ReadJson<CheckpointState>(folder.LastStatePath)!.Epoch);

        var phases = new List<TrainingProgress>();
        var resumed = TrainingRun.Run(config, run, progress: new SynchronousProgress<TrainingProgress>(phases.Add));

        Assert.Contains(phases, p => p.Phase == TrainingPhase.Resumed && p.Epoch == 2);
        Assert.DoesNotContain(phases, p => p.Phase == TrainingPhase.Step && p.Epoch <= 2);
        Assert.Equal(uninterrupted.Metrics, resumed.Metrics);
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(4, resumed.EpochsRun);
        Assert.Equal(MetricsWithoutTime(new RunFolder(whole)), MetricsWithoutTime(folder));
        Assert.Equal(File.ReadAllText(new RunFolder(whole).PredictionsPath), File.ReadAllText(folder.PredictionsPath));
    }

    [Fact]
    public void TwoRunsWithOneSeedGiveIdenticalMetricsAndPredictions()
    {
        var config = corpus.FineTuning(epochs: 2);
        var first = corpus.NewRunDirectory("seed-a");
        var second = corpus.NewRunDirectory("seed-b");
        var a = TrainingRun.Run(config, first);
        var b = TrainingRun.Run(config, second);
        var other = TrainingRun.Run(config with { Seed = config.Seed + 1 }, corpus.NewRunDirectory("seed-c"));

        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(File.ReadAllText(new RunFolder(first).PredictionsPath), File.ReadAllText(new RunFolder(second).PredictionsPath));
        Assert.NotEqual(a.Metrics["test_loss"], other.Metrics["test_loss"]);
    }

    [Fact]
    public void AFinishedRunIsSkippedAndADifferentConfigInItsFolderIsRefused()
    {
        var config = corpus.FineTuning(epochs: 1);
        var run = corpus.NewRunDirectory("skip");
        var first = TrainingRun.Run(config, run);
        var stamp = File.GetLastWriteTimeUtc(new RunFolder(run).FinalMetricsPath);

        var again = TrainingRun.Run(config, run);

        Assert.True(again.Skipped);
        Assert.Equal(first.Metrics, again.Metrics);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(new RunFolder(run).FinalMetricsPath));
        var error = Assert.Throws<TrainingRunException>(() => TrainingRun.Run(config with { Seed = 99 }, run));
        Assert.Contains("different config", error.Message);
    }

    [Fact]
    public void PredictionsHoldEveryTestUtteranceWithProbabilitiesThatSumToOne()
    {
        var config = corpus.FineTuning(epochs: 1);
        var run = corpus.NewRunDirectory("predictions");
        var result = TrainingRun.Run(config, run);
        var lines = File.ReadAllLines(new RunFolder(run).PredictionsPath);

        // The demo corpus's manifest has rater votes, so the perceived labels follow the probabilities as further references.
        Assert.Equal("id,true_label,predicted_label,prob_anger,prob_disgust,prob_fear,prob_happiness,prob_neutral,prob_sadness,perceived_av,perceived_voice", lines[0]);
        Assert.Equal(result.Metrics["test_utterances"], lines.Length - 1);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.StartsWith("1004_", r[0]));
        Assert.All(rows, r => Assert.Equal(1.0, r.Skip(3).Take(config.Emotions.Count).Sum(p => double.Parse(p, CultureInfo.InvariantCulture)), 4));
        var accuracy = rows.Count(r => r[1] == r[2]) / (double)rows.Length;
        Assert.Equal(result.Metrics["test_accuracy"], accuracy, 10);
        Assert.Equal(2, File.ReadAllLines(new RunFolder(run).MetricsCsvPath).Length); // header + one epoch
    }

    private static void AssertSameWeights(IDictionary<string, TorchSharp.torch.Tensor> expected, IDictionary<string, TorchSharp.torch.Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.True(Same(value, actual[key]), $"{key} differs from the pre-trained encoder");
        }
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static string[] MetricsWithoutTime(RunFolder folder) =>
        File.ReadAllLines(folder.MetricsCsvPath).Select(l => string.Join(',', l.Split(',')[..^1])).ToArray();
}
