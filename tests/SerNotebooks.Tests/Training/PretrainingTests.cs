using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Tests.Training;

[Collection("training tiny corpus")]
public class PretrainingTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void AFewStepsOnAFixedBatchLowerEveryActiveTasksLoss()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-std"), new TaskWeight("loudness", 0.5));
        var extractor = new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache));
        using var dataset = ChunkedDataset.Build(TrainingRun.SelectClips(config), extractor, config.Chunking);
        dataset.Normalize(dataset.FitNormalization(Enumerable.Range(0, dataset.Count).ToArray()));
        var sets = new RuleLabelSource().GetLabelSets(new PretextLabelRequest(
            config.Manifests.Select(SerNotebooks.Data.Manifest.Load).ToArray(), ["energy-std", "loudness"],
            dataset.Clips.Select(c => c.Id).ToHashSet(), config.Chunking, extractor));
        var labels = sets.Select(s => TaskLabelTensor.FromLabelSet(s, dataset)).ToArray();
        torch.manual_seed(3);
        using var model = new PretrainingModel(config.Model, sets.Select(s => new PretextHeadSpec(s.TaskName, s.Granularity, s.Classes.Count)).ToArray());
        using var optimizer = torch.optim.Adam(model.parameters(), 3e-3);
        using var index = torch.arange(16, dtype: ScalarType.Int64);
        using var inputs = dataset.Inputs.index_select(0, index);
        using var mask = dataset.ChunkMask.index_select(0, index);
        var targets = labels.Select(l => l.Labels.index_select(0, index)).ToArray();

        double[] TaskLosses()
        {
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            torch.manual_seed(99); // The same dropout masks for the before and after measurements.
            var outputs = model.forward(inputs, mask);
            return sets.Select((s, t) => (double)TrainingRun.MaskedCrossEntropy(outputs[s.TaskName], targets[t]).Loss.item<float>()).ToArray();
        }

        model.train();
        var before = TaskLosses();
        for (var step = 0; step < 15; step++)
        {
            using var scope = torch.NewDisposeScope();
            var outputs = model.forward(inputs, mask);
            var loss = TrainingRun.MaskedCrossEntropy(outputs["energy-std"], targets[0]).Loss
                + 0.5 * TrainingRun.MaskedCrossEntropy(outputs["loudness"], targets[1]).Loss;
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var after = TaskLosses();

        for (var t = 0; t < sets.Count; t++)
        {
            Assert.True(after[t] < 0.8 * before[t], $"{sets[t].TaskName}: loss {before[t]:0.###} → {after[t]:0.###} after 15 steps on one batch");
        }
        foreach (var label in labels)
        {
            label.Dispose();
        }
        foreach (var target in targets)
        {
            target.Dispose();
        }
    }

    [Fact]
    public void MaskedLossIgnoresMissingLabelsAndIsZeroWithoutAny()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { 2, 0, 0, 2, 5, -5 }, [3, 2]);
        var (none, noneCount) = TrainingRun.MaskedCrossEntropy(logits, torch.tensor(new long[] { -1, -1, -1 }));
        Assert.Equal(0, noneCount);
        Assert.Equal(0f, none.item<float>());

        var (partial, partialCount) = TrainingRun.MaskedCrossEntropy(logits, torch.tensor(new long[] { 0, -1, 1 }));
        var expected = nn.functional.cross_entropy(torch.tensor(new float[] { 2, 0, 5, -5 }, [2, 2]), torch.tensor(new long[] { 0, 1 }));
        Assert.Equal(2, partialCount);
        Assert.Equal(expected.item<float>(), partial.item<float>(), 6);
    }

    [Fact]
    public void ATaskWithoutLabelsForMostClipsTrainsWithoutNaNs()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-std"), new TaskWeight("video-energy")) with { BatchSize = 4 };
        var run = corpus.NewRunDirectory("missing-labels");
        var steps = new List<TrainingProgress>();
        var result = TrainingRun.Run(config, run, new RuleLabelSource(),
            new SynchronousProgress<TrainingProgress>(p => { if (p.Phase == TrainingPhase.Step) steps.Add(p); }));

        Assert.All(steps, p => Assert.True(double.IsFinite(p.Loss), $"epoch {p.Epoch} step {p.Step}: loss {p.Loss}"));
        Assert.Contains(steps, p => !p.TaskLosses.ContainsKey("video-energy")); // batches where the task has no label at all
        Assert.Contains(steps, p => p.TaskLosses.ContainsKey("video-energy"));
        Assert.All(result.Metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Key} = {m.Value}"));
        Assert.True(result.Metrics["labelled_clips_video-energy"] < result.Metrics["labelled_clips_energy-std"]);

        using var encoder = new SpeechEncoder(config.Model);
        encoder.Load(new RunFolder(run).EncoderPath);
        foreach (var (name, parameter) in encoder.named_parameters())
        {
            Assert.True(torch.isfinite(parameter).all().item<bool>(), $"{name} holds non-finite values");
        }
        // The run stores each task's labeller state and labels with the model.
        Assert.Equal("video", PretextLabelSetFile.Read(new RunFolder(run).LabelsDirectory, "video-energy").ByClip.Values.First().Source);
        Assert.True(File.Exists(Path.Combine(new RunFolder(run).LabelsDirectory, "energy-std.state.json")));
    }

    [Fact]
    public void AnInterruptedPretrainingRunResumesToTheSameEncoder()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-std"), new TaskWeight("loudness", 0.5)) with { Epochs = 3 };
        var whole = corpus.NewRunDirectory("pretrain-whole");
        var uninterrupted = TrainingRun.Run(config, whole, new RuleLabelSource());

        var run = corpus.NewRunDirectory("pretrain-interrupted");
        using (var cancellation = new CancellationTokenSource())
        {
            var stopAfterEpoch1 = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == TrainingPhase.EpochEnd && p.Epoch == 1)
                {
                    cancellation.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                TrainingRun.Run(config, run, new RuleLabelSource(), stopAfterEpoch1, cancellation.Token));
        }
        var resumed = TrainingRun.Run(config, run, new RuleLabelSource());

        Assert.Equal(uninterrupted.Metrics, resumed.Metrics);
        Assert.Equal(File.ReadAllBytes(new RunFolder(whole).EncoderPath), File.ReadAllBytes(new RunFolder(run).EncoderPath));
    }
}
