using SerNotebooks.Data;
using SerNotebooks.Models;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Pretext.Tasks.Clustering;
using SerNotebooks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Tests.Training;

/// <summary>The clustering pretext task (DeepEmoCluster): seeded k-means, pseudo-labels assigned by the objective, resume.</summary>
[Collection(TrainingCorpusCollection.Name)]
public class ClusteringTaskTests(TrainingCorpusFixture corpus)
{
    private const string Clustering = ClusteringTask.TaskName;

    private PretextLabelling Labelling(ClusteringOptions options) =>
        corpus.Labelling(new PretextTaskRegistry().Register(new EnergyVariationTask()).Register(new ClusteringTask(options)));

    /// <summary>Deterministic pseudo-random points (SplitMix64 via the shuffle), so the test data are the same everywhere.</summary>
    private static List<float[]> Scatter(int count, int dimension, long seed, float spread)
    {
        var order = TrainingRun.Shuffle(Enumerable.Range(0, count * dimension).ToArray(), seed);
        return Enumerable.Range(0, count)
            .Select(i => Enumerable.Range(0, dimension).Select(d => spread * (order[i * dimension + d] / (float)(count * dimension) - 0.5f)).ToArray())
            .ToList();
    }

    [Fact]
    public void KMeansFindsThreeObviousClusters()
    {
        float[][] blobCentres = [[0, 0], [10, 0], [0, 10]];
        var noise = Scatter(90, 2, seed: 5, spread: 2);
        var points = noise.Select((p, i) => new[] { blobCentres[i % 3][0] + p[0], blobCentres[i % 3][1] + p[1] }).ToList();

        var result = SeededKMeans.Fit(points, 3, seed: 1);

        Assert.True(result.Converged);
        for (var blob = 0; blob < 3; blob++)
        {
            var clusters = Enumerable.Range(0, points.Count).Where(i => i % 3 == blob).Select(i => result.Assignments[i]).Distinct().ToArray();
            Assert.Single(clusters);
            var centre = result.Centres[clusters[0]];
            Assert.Equal(blobCentres[blob][0], centre[0], 0.5);
            Assert.Equal(blobCentres[blob][1], centre[1], 0.5);
        }
        Assert.Equal([30L, 30L, 30L], result.ClusterSizes());
    }

    [Fact]
    public void KMeansIsAFunctionOfThePointsAndTheSeed()
    {
        var points = Scatter(400, 6, seed: 3, spread: 1);
        var first = SeededKMeans.Fit(points, 8, seed: 42);
        var second = SeededKMeans.Fit(points, 8, seed: 42);
        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.Centres, second.Centres);
        Assert.Equal(8, first.Assignments.Distinct().Count());
        // The seed matters (uniform noise has no true clusters, so another seeding ends elsewhere).
        Assert.NotEqual(first.Assignments, SeededKMeans.Fit(points, 8, seed: 43).Assignments);
        // Nearest-centre ties go to the lower index.
        Assert.Equal(0, SeededKMeans.Nearest([[1f], [-1f]], [0f]));
        Assert.Throws<ArgumentException>(() => SeededKMeans.Fit(points.Take(3).ToList(), 8, seed: 1));
    }

    [Fact]
    public void InverseFrequencyWeightsGiveEveryClusterTheSameTotalWeight()
    {
        var frequencies = new ClassFrequencies([60, 30, 10, 0]);
        var weights = ClassWeights.InverseFrequency(frequencies);
        Assert.Equal(0, weights[3]);
        Assert.Equal(1, weights.Take(3).Average(), 9);
        Assert.Equal(60 * weights[0], 30 * weights[1], 9);
        Assert.Equal(60 * weights[0], 10 * weights[2], 9);
    }

    [Fact]
    public void ReinitialisingAHeadDrawsNewWeightsIntoTheSameParameters()
    {
        using var model = new PretrainingModel(TrainingCorpusFixture.SmallModel, [new PretextHeadSpec(Clustering, LabelGranularity.Chunk, 4, LabelKind.PseudoClasses)]);
        var weight = model.named_parameters().Single(p => p.name.Contains(Clustering) && p.name.EndsWith("weight")).parameter;
        var before = weight.clone();
        torch.manual_seed(7);
        model.ReinitialiseHead(Clustering);
        var first = weight.clone();
        torch.manual_seed(7);
        model.ReinitialiseHead(Clustering);
        Assert.False(before.eq(first).all().item<bool>());
        Assert.True(weight.eq(first).all().item<bool>()); // seeded: the same draw; in place: the optimiser's parameter
    }

    [Fact]
    public void ResettingAReinitialisedHeadsAdamStateMakesItsNextStepAFirstStepAndLeavesTheEncodersMomentsAlone()
    {
        using var model = new PretrainingModel(TrainingCorpusFixture.SmallModel, [new PretextHeadSpec(Clustering, LabelGranularity.Chunk, 4, LabelKind.PseudoClasses)]);
        const double Lr = 0.01;
        using var adam = torch.optim.Adam(model.parameters(), Lr);
        void Step()
        {
            adam.zero_grad();
            using var scope = torch.NewDisposeScope();
            model.parameters().Select(p => p.pow(2).sum()).Aggregate((a, b) => a + b).backward(); // gradient 2w everywhere
            adam.step();
        }
        Step();
        Step();
        var head = model.Head(Clustering).parameters().ToList();
        AdamMoments.Reset(adam, head);

        var states = adam.state_dict().State.Cast<TorchSharp.Modules.Adam.State>().ToList();
        var headHandles = head.Select(p => p.Handle).ToHashSet();
        var byParameter = adam.parameters().Zip(states).ToList();
        Assert.All(byParameter.Where(p => headHandles.Contains(p.First.Handle)), p => Assert.Equal((0L, 0.0), (p.Second.step, p.Second.exp_avg.abs().sum().item<float>() + 0.0)));
        Assert.All(byParameter.Where(p => !headHandles.Contains(p.First.Handle)), p => Assert.Equal(2L, p.Second.step));
        // A first Adam step moves every weight by lr against the sign of its gradient (|m̂| / √v̂ = 1): the reset head does so.
        var weight = head.Single(p => p.dim() == 2);
        var before = weight.detach().clone();
        Step();
        var moved = (weight.detach() - before).abs();
        Assert.True(moved.sub(Lr).abs().max().item<float>() < 1e-5, $"largest departure from lr: {moved.sub(Lr).abs().max().item<float>()}");
        using var other = torch.nn.Linear(2, 2);
        Assert.Throws<ArgumentException>(() => AdamMoments.Reset(adam, other.parameters()));
    }

    [Fact]
    public void TheClusteringTaskIsOptInAndItsLabelFilesOnlySayWhichChunksTakePart()
    {
        var registry = PretextTaskRegistry.CreateDefault();
        Assert.Equal(["energy-variation", "facial-activation", "au-emotion"], registry.PretextTaskNames);
        Assert.Equal(["energy-variation", Clustering], registry.SelectTasks($"energy-variation,{Clustering}"));
        Assert.Equal(LabelKind.PseudoClasses, registry.Get(Clustering).Kind);
        Assert.Equal(8, registry.Get(Clustering).Classes.Count);
        Assert.DoesNotContain(registry.All, t => t.Name == "shuffled-" + Clustering);

        var result = Labelling(new ClusteringOptions { Clusters = 4, ReclusterEvery = 3 }).Run(Manifest.Load(corpus.PretrainingManifest), ["energy-variation", Clustering]);
        var set = result.LabelSets[Clustering];
        Assert.Equal(LabelKind.PseudoClasses, set.Kind);
        Assert.Equal(3, PseudoClassSchedule.FromStateJson(set.LabellerStateJson).ReclusterEvery);
        Assert.All(set.ByClip.Values.Where(l => l.ChunkLabels is not null).SelectMany(l => l.ChunkLabels!), l => Assert.Contains(l, new[] { -1, 0 }));
        // The chunks that take part are the chunks energy-variation labels (enough speech).
        foreach (var (id, labels) in result.LabelSets["energy-variation"].ByClip.Where(p => p.Value.ChunkLabels is not null))
        {
            Assert.Equal(labels.ChunkLabels!.Select(l => l >= 0), set.ByClip[id].ChunkLabels!.Select(l => l >= 0));
        }

        // The label report leaves its participation-only labels out of the class distributions and relations.
        Assert.DoesNotContain(LabelReport.DistributionRows(result), r => r.Task == Clustering);
        Assert.Contains(LabelReport.DistributionRows(result), r => r.Task == "energy-variation");

        var directory = Path.Combine(corpus.Root, "clustering-labels-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        PretextLabelSetFile.Write(set, directory);
        var read = PretextLabelSetFile.Read(directory, Clustering);
        Assert.Equal(LabelKind.PseudoClasses, read.Kind);
        Assert.Equal(set.Classes, read.Classes);
        Assert.Contains("\"kind\": \"pseudo-classes\"", File.ReadAllText(PretextLabelSetFile.JsonPath(directory, Clustering)));
        Assert.Equal(new PseudoClassSchedule(1), PseudoClassSchedule.FromStateJson("{\"task\": \"x\"}"));
        Assert.True(new PseudoClassSchedule(3).IsReclusterEpoch(4));
        Assert.False(new PseudoClassSchedule(3).IsReclusterEpoch(3));
    }

    [Fact]
    public void JointPretrainingReclustersOnScheduleAndAResumedRunGivesTheSameNumbers()
    {
        var options = new ClusteringOptions { Clusters = 4, ReclusterEvery = 2 };
        var config = corpus.Pretraining(new TaskWeight("energy-variation"), new TaskWeight(Clustering)) with
        {
            PretextDevSpeakerShare = 0.25,
            Epochs = 3,
            Patience = 0,
        };
        var whole = corpus.NewRunDirectory("clustering-whole");
        var kept = corpus.NewRunDirectory("clustering-checkpoints");
        Directory.CreateDirectory(kept);
        var snapshots = new Dictionary<int, PseudoClassSnapshot>();
        var record = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.EpochEnd)
            {
                snapshots[p.Epoch] = PseudoClassFile.Read(new RunFolder(whole).EpochPseudoClassPath(p.Epoch)).Single();
                File.Copy(new RunFolder(whole).EpochModelPath(p.Epoch), Path.Combine(kept, $"{p.Epoch}.model"));
                File.Copy(new RunFolder(whole).EpochOptimizerPath(p.Epoch), Path.Combine(kept, $"{p.Epoch}.optim"));
            }
        });
        var uninterrupted = TrainingRun.Run(config, whole, Labelling(options), record);

        // The head was re-initialised at the start of epoch 3: after that epoch's few small Adam steps its weights are
        // near the fresh draw from the epoch's torch seed and far from where epoch 2 left them.
        Tensor HeadWeight(string modelFile)
        {
            using var model = new PretrainingModel(config.Model,
            [
                new PretextHeadSpec("energy-variation", LabelGranularity.Chunk, 2),
                new PretextHeadSpec(Clustering, LabelGranularity.Chunk, options.Clusters, LabelKind.PseudoClasses),
            ]);
            model.load(Path.Combine(kept, modelFile));
            return model.named_parameters().Single(p => p.name.Contains(Clustering) && p.name.EndsWith("weight")).parameter.detach().clone();
        }
        using var afterEpoch2 = HeadWeight("2.model");
        using var afterEpoch3 = HeadWeight("3.model");
        torch.manual_seed(TrainingRun.EpochSeed(config.Seed, 3));
        using var fresh = torch.nn.Linear(config.Model.EmbeddingSize, options.Clusters);
        var fromFresh = (afterEpoch3 - fresh.weight!).norm().item<float>();
        var fromEpoch2 = (afterEpoch3 - afterEpoch2).norm().item<float>();
        Assert.True(fromFresh < fromEpoch2 / 4, $"epoch-3 head is {fromFresh} from the fresh draw and {fromEpoch2} from epoch 2's head");

        // Its Adam state started afresh then too: after epoch 3 the head's parameters have taken one epoch of steps, the
        // encoder's and the energy head's three (before AdamMoments, the head's count went on: three).
        using (var model = new PretrainingModel(config.Model,
            [
                new PretextHeadSpec("energy-variation", LabelGranularity.Chunk, 2),
                new PretextHeadSpec(Clustering, LabelGranularity.Chunk, options.Clusters, LabelKind.PseudoClasses),
            ]))
        using (var adam = torch.optim.Adam(model.parameters(), config.Optimizer.LearningRate))
        {
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(kept, "3.optim"))))
            {
                adam.load_state_dict(reader);
            }
            var head = model.Head(Clustering).parameters().Select(p => p.Handle).ToHashSet();
            var steps = adam.parameters().Zip(adam.state_dict().State.Cast<TorchSharp.Modules.Adam.State>())
                .ToLookup(p => head.Contains(p.First.Handle), p => p.Second.step);
            var headSteps = Assert.Single(steps[true].Distinct());
            Assert.True(headSteps > 0);
            // (Parameters no task uses, the attention pooling here, never get a gradient, so Adam never steps them.)
            Assert.Equal([0, 3 * headSteps], steps[false].Distinct().Order());
        }

        // Clustered at the start of epochs 1 and 3: the classes hold through epoch 2 and change at epoch 3.
        Assert.Equal([1, 1, 3], snapshots.OrderBy(p => p.Key).Select(p => p.Value.ClusteredAtEpoch));
        Assert.Equal(snapshots[1].Classes, snapshots[2].Classes);
        Assert.NotEqual(snapshots[1].Classes, snapshots[3].Classes);
        Assert.Equal(snapshots[1].Classes.Select(c => c >= 0), snapshots[3].Classes.Select(c => c >= 0)); // the same chunks take part
        foreach (var snapshot in snapshots.Values)
        {
            Assert.All(snapshot.Classes, c => Assert.InRange(c, -1, options.Clusters - 1));
            Assert.True(snapshot.Classes.Where(c => c >= 0).Distinct().Count() > 1, "every chunk in one cluster");
        }

        var metrics = uninterrupted.Metrics;
        foreach (var column in new[] { "dev_loss_", "dev_accuracy_", "dev_info_gain_", "prior_entropy_", "train_loss_" })
        {
            Assert.True(double.IsFinite(metrics[column + Clustering]), $"{column}{Clustering} = {metrics[column + Clustering]}");
        }
        Assert.Equal(1, metrics[$"class_weighted_{Clustering}"]);
        Assert.InRange(metrics[$"prior_entropy_{Clustering}"], 0.1, Math.Log(options.Clusters) + 1e-9);
        Assert.Equal(uninterrupted.BestEpoch >= 3 ? 3 : 1, metrics[$"clustered_at_epoch_{Clustering}"]); // the best model's classes
        Assert.True(File.Exists(new RunFolder(whole).BestPseudoClassPath));

        // Interrupted after epoch 1, epoch 2 trains on the stored classes (no re-clustering is due), epoch 3 re-clusters.
        var run = corpus.NewRunDirectory("clustering-interrupted");
        using (var cancellation = new CancellationTokenSource())
        {
            var stopAfterEpoch1 = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == TrainingPhase.EpochEnd && p.Epoch == 1)
                {
                    cancellation.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Run(config, run, Labelling(options), stopAfterEpoch1, cancellation.Token));
        }
        var resumed = TrainingRun.Run(config, run, Labelling(options));
        Assert.Equal(uninterrupted.Metrics, resumed.Metrics);
        Assert.Equal(File.ReadAllBytes(new RunFolder(whole).EncoderPath), File.ReadAllBytes(new RunFolder(run).EncoderPath));
    }
}
