using SerNotebooks.Models;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Tests.Training;

/// <summary>The public pieces of a pre-training step that notebook 05 calls: the batch, the masked multi-task loss and the heads.</summary>
public class TrainingBatchTests
{
    public TrainingBatchTests() => TorchRuntime.EnsureLoadable();

    // 4 clips × 3 chunks × 2 frames × 4 features; the value of every feature of clip i is i.
    private static ChunkedDataset Dataset() =>
        ChunkedDataset.FromArrays(new[] { "a", "b", "c", "d" }.Select(id => new DatasetClip(id, "s1", TrainingRun.TrainRole, null)).ToArray(),
            Enumerable.Range(0, 4).SelectMany(i => Enumerable.Repeat((float)i, 3 * 2 * 4)).ToArray(), 3, 2, 4);

    private static PretextLabelSet ChunkSet(string name, Dictionary<string, int[]> labels) =>
        new(name, LabelGranularity.Chunk, ["low", "high"], "{}",
            labels.ToDictionary(l => l.Key, l => new ClipTaskLabels(l.Key, l.Value, ClipTaskLabels.MissingLabel, "audio", null)));

    private static PretextLabelSet UtteranceSet(string name, Dictionary<string, int> labels) =>
        new(name, LabelGranularity.Utterance, ["x", "y", "z"], "{}",
            labels.ToDictionary(l => l.Key, l => new ClipTaskLabels(l.Key, null, l.Value, "openface", null)));

    [Fact]
    public void NormalisingAgainWithTheSameStatisticsLeavesTheInputsAsTheyAreAndOtherStatisticsAreRefused()
    {
        using var dataset = Dataset();
        var statistics = dataset.FitNormalization([0, 1, 2, 3]);
        dataset.Normalize(statistics);
        var once = dataset.Inputs.data<float>().ToArray();

        // As a session restarted after a native error does: the same statistics, recomputed.
        dataset.Normalize(dataset.FitNormalization([0, 1, 2, 3]));

        Assert.Equal(once, dataset.Inputs.data<float>().ToArray());
        Assert.Equal(-1.3416408f, once[0], 5); // clip 0 of values 0..3: (0 − 1.5) / √1.25
        Assert.Throws<InvalidOperationException>(() => dataset.Normalize(dataset.FitNormalization([0, 1])));
    }

    [Fact]
    public void SelectTakesTheRowsOfTheInputsTheMaskAndEveryTasksLabelsInBatchOrder()
    {
        using var dataset = Dataset();
        using var chunk = TaskLabelTensor.FromLabelSet(ChunkSet("energy", new() { ["b"] = [1, 0, -1], ["d"] = [0, 0, 1] }), dataset);
        using var utterance = TaskLabelTensor.FromLabelSet(UtteranceSet("au", new() { ["a"] = 2, ["d"] = 1 }), dataset);

        using var batch = TrainingBatch.Select(dataset, [chunk, utterance], [3, 1]);

        Assert.Equal(2, batch.Size);
        Assert.Equal(new[] { 3, 1 }, batch.ClipIndices);
        Assert.Equal(new long[] { 3, 1 }, batch.Index.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 2, 4 }, batch.Inputs.shape);
        Assert.Equal(new float[] { 3, 1 }, batch.Inputs[.., 0, 0, 0].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, batch.ChunkMask.shape);
        Assert.Equal(new[] { "energy", "au" }, batch.TaskNames);
        Assert.Equal(new long[] { 0, 0, 1, 1, 0, -1 }, batch.Labels["energy"].data<long>().ToArray());
        Assert.Equal(new long[] { 1, -1 }, batch.Labels["au"].data<long>().ToArray());
    }

    [Fact]
    public void SelectRefusesAnEmptyBatchAnIndexOutsideTheDatasetAndATaskGivenTwice()
    {
        using var dataset = Dataset();
        using var labels = TaskLabelTensor.FromLabelSet(ChunkSet("energy", new() { ["a"] = [1, 1, 1] }), dataset);

        Assert.Throws<ArgumentException>(() => TrainingBatch.Select(dataset, [labels], []));
        var outside = Assert.Throws<ArgumentException>(() => TrainingBatch.Select(dataset, [labels], [0, 4]));
        Assert.Contains("clip index 4 is outside the dataset's 4 clips", outside.Message);
        var twice = Assert.Throws<ArgumentException>(() => TrainingBatch.Select(dataset, [labels, labels], [0]));
        Assert.Contains("task 'energy' is given twice", twice.Message);
    }

    [Fact]
    public void TheMultiTaskLossIsTheWeightedSumOfEachTasksCrossEntropyOverItsLabelledEntries()
    {
        using var dataset = Dataset();
        using var chunk = TaskLabelTensor.FromLabelSet(ChunkSet("energy", new() { ["a"] = [1, -1, 0], ["c"] = [-1, -1, 1] }), dataset);
        using var utterance = TaskLabelTensor.FromLabelSet(UtteranceSet("au", new() { ["a"] = 2, ["b"] = 0 }), dataset);
        using var scope = torch.NewDisposeScope();
        var batch = TrainingBatch.Select(dataset, [chunk, utterance], [0, 1, 2]);
        torch.manual_seed(5);
        var logits = new Dictionary<string, Tensor> { ["energy"] = torch.randn(3, 3, 2), ["au"] = torch.randn(3, 3) };

        var (total, taskLosses) = TrainingRun.MaskedMultiTaskLoss(logits, batch, [1.0, 0.5]);

        // Independently: energy has labels at (a, 0), (a, 2), (c, 2); au at a and b.
        var energy = nn.functional.cross_entropy(torch.stack([logits["energy"][0, 0], logits["energy"][0, 2], logits["energy"][2, 2]]),
            torch.tensor(new long[] { 1, 0, 1 })).item<float>();
        var au = nn.functional.cross_entropy(logits["au"][..2], torch.tensor(new long[] { 2, 0 })).item<float>();
        Assert.Equal(energy, taskLosses[0]!.Value, 5);
        Assert.Equal(au, taskLosses[1]!.Value, 5);
        Assert.Equal(energy + 0.5 * au, total!.item<float>(), 5);

        // Without weights every task counts once.
        Assert.Equal(energy + au, TrainingRun.MaskedMultiTaskLoss(logits, batch).Total!.item<float>(), 5);
    }

    [Fact]
    public void ATaskWithoutALabelInTheBatchAddsNothingAndNoLabelAtAllGivesNoTotal()
    {
        using var dataset = Dataset();
        using var chunk = TaskLabelTensor.FromLabelSet(ChunkSet("energy", new() { ["a"] = [1, 0, 0] }), dataset);
        using var utterance = TaskLabelTensor.FromLabelSet(UtteranceSet("au", new() { ["d"] = 1 }), dataset);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(6);
        var logits = new Dictionary<string, Tensor> { ["energy"] = torch.randn(2, 3, 2), ["au"] = torch.randn(2, 3) };

        var (total, taskLosses) = TrainingRun.MaskedMultiTaskLoss(logits, TrainingBatch.Select(dataset, [chunk, utterance], [0, 1]));
        Assert.Null(taskLosses[1]);
        Assert.Equal(taskLosses[0]!.Value, total!.item<float>(), 6);

        var (none, noLosses) = TrainingRun.MaskedMultiTaskLoss(logits, TrainingBatch.Select(dataset, [chunk, utterance], [1, 2]));
        Assert.Null(none);
        Assert.All(noLosses, Assert.Null);

        var wrongWeights = Assert.Throws<ArgumentException>(() => TrainingRun.MaskedMultiTaskLoss(logits, TrainingBatch.Select(dataset, [chunk, utterance], [0]), [1.0]));
        Assert.Contains("1 weight(s) for the batch's 2 task(s)", wrongWeights.Message);
    }

    [Fact]
    public void TheEncoderFollowedByEachHeadGivesTheModelsLogits()
    {
        var config = new ModelConfig { ConvChannels = 8, AttentionHidden = 4 };
        torch.manual_seed(7);
        using var model = new PretrainingModel(config,
            [new PretextHeadSpec("energy", LabelGranularity.Chunk, 2), new PretextHeadSpec("au", LabelGranularity.Utterance, 7)]);
        using var scope = torch.NewDisposeScope();
        model.eval();
        var chunks = torch.randn(2, 3, 10, 64);
        var mask = torch.ones(2, 3, dtype: ScalarType.Bool);

        var logits = model.forward(chunks, mask);
        var encoded = model.Encoder.forward(chunks, mask);
        var energy = model.Head("energy").forward(encoded.Chunks);
        var au = model.Head("au").forward(encoded.Utterance);

        Assert.Equal(new long[] { 2, 3, 2 }, energy.shape);
        Assert.Equal(new long[] { 2, 7 }, au.shape);
        Assert.True(energy.equal(logits["energy"]).all().item<bool>());
        Assert.True(au.equal(logits["au"]).all().item<bool>());
        var missing = Assert.Throws<KeyNotFoundException>(() => model.Head("loudness"));
        Assert.Contains("no head for task 'loudness' (its tasks: energy, au)", missing.Message);
    }
}
