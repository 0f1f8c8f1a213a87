using SerNotebooks.Data;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.FacialActivationRegression;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Tests.Training;

/// <summary>Task 2 as regression: labels through the registry and the label files, pre-training with MSE, dev R².</summary>
[Collection(TrainingCorpusCollection.Name)]
public class FacialActivationRegressionTests(TrainingCorpusFixture corpus)
{
    private const string Regression = FacialActivationRegressionTask.TaskName;

    private PretextLabelling Labelling() => corpus.Labelling(PretextTaskRegistry.CreateDefault());

    [Fact]
    public void TheRegressionTaskIsSelectableByNameButNotADefaultTask()
    {
        var registry = PretextTaskRegistry.CreateDefault();
        Assert.Equal(["energy-variation", "facial-activation", "au-emotion"], registry.PretextTaskNames);
        Assert.Equal(["energy-variation", Regression], registry.SelectTasks($"energy-variation,{Regression}"));
        Assert.Equal(LabelKind.Regression, registry.Get(Regression).Kind);
        Assert.DoesNotContain(registry.All, t => t.Name == "shuffled-" + Regression);
    }

    [Fact]
    public void StandardisedTargetsRoundTripThroughTheLabelFiles()
    {
        var result = Labelling().Run(Manifest.Load(corpus.PretrainingManifest), ["energy-variation", Regression]);
        var set = result.LabelSets[Regression];
        Assert.Equal(LabelKind.Regression, set.Kind);
        var training = result.TrainingClipIds.ToHashSet();
        var trainingTargets = set.ByClip.Values.Where(l => training.Contains(l.ClipId)).SelectMany(l => l.ChunkTargets!).Where(double.IsFinite).ToArray();
        Assert.True(trainingTargets.Length > 10, $"{trainingTargets.Length} training chunk targets");
        Assert.Equal(0, trainingTargets.Average(), 6); // standardised on the training chunks (one face source in the demo corpus)
        Assert.Equal(1, Math.Sqrt(trainingTargets.Select(v => v * v).Average()), 6);
        Assert.All(set.ByClip.Values, l => Assert.Null(l.ChunkLabels));

        var directory = Path.Combine(corpus.Root, "regression-labels-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        PretextLabelSetFile.Write(set, directory);
        PretextLabelSetFile.Write(result.LabelSets["energy-variation"], directory);
        var read = PretextLabelSetFile.Read(directory, Regression);
        Assert.Equal(LabelKind.Regression, read.Kind);
        Assert.Equal(set.ByClip.Keys.Order(), read.ByClip.Keys.Order());
        foreach (var (id, labels) in set.ByClip)
        {
            Assert.Equal(labels.ChunkTargets!, read.ByClip[id].ChunkTargets!); // "R" format: the same doubles, NaN included
        }
        Assert.Contains("\"kind\": \"regression\"", File.ReadAllText(PretextLabelSetFile.JsonPath(directory, Regression)));
        // A classification task's files carry no kind (they are what they were before label kinds existed).
        Assert.DoesNotContain("kind", File.ReadAllText(PretextLabelSetFile.JsonPath(directory, "energy-variation")));
        Assert.StartsWith("clip_id,source,skip_reason,utterance_label,chunk_labels\n",
            File.ReadAllText(PretextLabelSetFile.CsvPath(directory, "energy-variation")).ReplaceLineEndings("\n"));
        Assert.Equal(LabelKind.Classification, PretextLabelSetFile.Read(directory, "energy-variation").Kind);

        var labeller = FacialActivationRegressionLabeller.FromStateJson(set.LabellerStateJson);
        var measured = result.Measurements[Regression].First(m => m.IsUsable && m.ChunkValues!.Any(double.IsFinite));
        var k = Array.FindIndex(measured.ChunkValues!, double.IsFinite);
        Assert.Equal(measured.ChunkValues![k], labeller.Unstandardise(measured.Source, set.ByClip[measured.ClipId].ChunkTargets![k]), 9);
    }

    [Fact]
    public void PretrainingWithTheRegressionTaskReportsDevMseAndRSquared()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-variation"), new TaskWeight(Regression)) with
        {
            PretextDevSpeakerShare = 0.25,
            Epochs = 3,
        };
        var run = corpus.NewRunDirectory("regression");
        var result = TrainingRun.Run(config, run, Labelling());

        var mse = result.Metrics[$"dev_loss_{Regression}"];
        var r2 = result.Metrics[$"dev_r2_{Regression}"];
        Assert.True(double.IsFinite(mse) && mse > 0, $"dev MSE {mse}");
        Assert.True(double.IsFinite(r2) && r2 <= 1, $"dev R² {r2}");
        Assert.True(double.IsFinite(result.Metrics[$"train_loss_{Regression}"]));
        Assert.False(result.Metrics.ContainsKey($"dev_accuracy_{Regression}"));
        Assert.False(result.Metrics.ContainsKey($"prior_entropy_{Regression}"));
        Assert.True(result.Metrics.ContainsKey("dev_info_gain_energy-variation"));
        var header = File.ReadLines(new RunFolder(run).MetricsCsvPath).First().Split(',');
        Assert.Contains($"dev_r2_{Regression}", header);
        Assert.True(result.Metrics[$"labelled_clips_{Regression}"] > 0);

        // The run stores the targets it trained on, and they read back as regression targets.
        var stored = PretextLabelSetFile.Read(new RunFolder(run).LabelsDirectory, Regression);
        Assert.Equal(LabelKind.Regression, stored.Kind);
        Assert.Contains(stored.ByClip.Values, l => l.ChunkTargets!.Any(double.IsFinite));

        // Predicted against true curve of a held-out (dev speaker) clip with a target.
        var heldOut = SerNotebooks.Pretext.Tasks.FacialActivationRegression.ActivationPredictions.HeldOutClip(run);
        Assert.Contains(TrainingRun.SelectClips(config), c => c.Entry.Id == heldOut && c.Split == TrainingRun.DevRole);
        var curve = SerNotebooks.Pretext.Tasks.FacialActivationRegression.ActivationPredictions.ForClip(run, heldOut);
        Assert.Equal(config.Chunking.ChunkCount, curve.Count);
        Assert.All(curve, c => Assert.True(float.IsFinite((float)c.Predicted)));
        Assert.Equal(stored.ByClip[heldOut].ChunkTargets!, curve.Select(c => c.Target));
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.First.StartSeconds <= p.Second.StartSeconds));
        Assert.Equal(2, Plotly.NET.GenericChart.getTraces(SerNotebooks.Pretext.Tasks.FacialActivationRegression.ActivationPredictions.Chart(curve, heldOut)).Count());

        // The same seed gives the same numbers.
        var again = TrainingRun.Run(config, corpus.NewRunDirectory("regression-again"), Labelling());
        Assert.Equal(result.Metrics, again.Metrics);
    }

    [Fact]
    public void MaskedMseLeavesNaNTargetsOutAndRSquaredIsExplainedVariance()
    {
        using var scope = torch.NewDisposeScope();
        var predictions = torch.tensor(new float[] { 1, 2, 3, 100 }, [2, 2]);
        var (loss, count) = PretrainingLoss.MaskedMeanSquaredError(predictions, torch.tensor(new float[] { 1, 0, 0, float.NaN }, [2, 2]));
        Assert.Equal(3, count);
        Assert.Equal((0 + 4 + 9) / 3f, loss.item<float>(), 5);
        var (none, noneCount) = PretrainingLoss.MaskedMeanSquaredError(predictions, torch.full([2, 2], float.NaN));
        Assert.Equal(0, noneCount);
        Assert.Equal(0f, none.item<float>());

        var perfect = new RegressionTaskScoring();
        perfect.Add(torch.tensor(new float[] { -1, 0, 1 }), torch.tensor(new float[] { -1, 0, 1 }));
        Assert.Equal(1, perfect.Scores().RSquared, 9);
        var mean = new RegressionTaskScoring();
        mean.Add(torch.tensor(new float[] { 0, 0, 9 }), torch.tensor(new float[] { -1, 1, float.NaN }));
        Assert.Equal(new RegressionTaskScores(2, 1, 0), mean.Scores());
    }
}
