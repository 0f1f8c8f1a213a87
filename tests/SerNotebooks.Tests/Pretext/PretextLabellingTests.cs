using SerNotebooks.Data;
using SerNotebooks.Demo;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Tests.Demo;

namespace SerNotebooks.Tests.Pretext;

public sealed class PretextLabellingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sernb-labels-{Guid.NewGuid():N}");

    public PretextLabellingTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ThresholdIsFittedOnTheTrainingSplitOnly()
    {
        // Training: two steady and two lively clips; test: one clip. Swapping the test clip's audio for a very
        // different signal must leave the threshold alone; changing a training clip must move it.
        var clips = new (string Id, string Split, float[] Samples)[]
        {
            ("t1", "train", PretextTestClips.ConstantTone(3)),
            ("t2", "train", PretextTestClips.ModulatedTone(3, depth: 10)),
            ("t3", "train", PretextTestClips.ConstantTone(4, 0.2)),
            ("t4", "train", PretextTestClips.ModulatedTone(4, depth: 30)),
            ("x1", "test", PretextTestClips.ConstantTone(3)),
        };
        var baseline = RunOn(Corpus("baseline", clips));
        var testChanged = RunOn(Corpus("test-changed", clips.Select(c => c.Id == "x1" ? c with { Samples = PretextTestClips.ModulatedTone(3, depth: 100) } : c).ToArray()));
        var trainChanged = RunOn(Corpus("train-changed", clips.Select(c => c.Id == "t2" ? c with { Samples = PretextTestClips.ModulatedTone(3, depth: 100) } : c).ToArray()));

        Assert.Equal(["t1", "t2", "t3", "t4"], baseline.TrainingClipIds);
        Assert.Contains("train", baseline.FitScope);
        Assert.Equal(Threshold(baseline), Threshold(testChanged));
        Assert.NotEqual(Threshold(baseline), Threshold(trainChanged));
        // The test clip is still labelled, with the training threshold: steady → low, strongly modulated → high.
        Assert.All(baseline.LabelSets["energy-variation"].ByClip["x1"].ChunkLabels!, l => Assert.Equal(0, l));
        Assert.All(testChanged.LabelSets["energy-variation"].ByClip["x1"].ChunkLabels!, l => Assert.Equal(1, l));
    }

    [Fact]
    public void CallerSuppliedTrainingClipsOverrideTheSplitColumn()
    {
        var clips = new (string Id, string Split, float[] Samples)[]
        {
            ("a", "train", PretextTestClips.ConstantTone(3)),
            ("b", "train", PretextTestClips.ModulatedTone(3)),
            ("c", "test", PretextTestClips.ModulatedTone(3, depth: 3)),
        };
        var manifest = Corpus("override", clips);
        var labelling = Labelling();

        var result = labelling.Run(manifest, ["energy-variation"], trainingClipIds: ["b", "c"]);

        Assert.Equal(["b", "c"], result.TrainingClipIds);
        Assert.StartsWith("caller-supplied", result.FitScope);
        Assert.Throws<ArgumentException>(() => labelling.Run(manifest, ["energy-variation"], trainingClipIds: ["nope"]));
    }

    [Fact]
    public void ManifestWithSplitsButNoTrainingClipIsRefused()
    {
        var manifest = Corpus("no-train", [("a", "test", PretextTestClips.ConstantTone(2))]);
        var error = Assert.Throws<InvalidOperationException>(() => Labelling().Run(manifest, ["energy-variation"]));
        Assert.Contains("no 'train' clip", error.Message);
    }

    [Theory]
    [InlineData("/data/openface/spk7/a.csv: every frame failed: 68 of 68 with success = 0", "every frame failed")]
    [InlineData("audio unusable: /data/a.wav: file does not exist", "audio unusable")]
    [InlineData("no chunk has 5 usable frame pairs (3 usable pairs from 40 frames)", "no chunk has N usable frame pairs")]
    public void SkipCategoriesDropPathsAndSpecifics(string reason, string category) =>
        Assert.Equal(category, new SkippedClip("t", "c", "s", reason).Category);

    private PretextLabellingResult RunOn(Manifest manifest) => Labelling().Run(manifest, ["energy-variation"]);

    private static PretextLabelling Labelling() =>
        new(PretextTaskRegistry.CreateDefault(), new FeatureExtractor()) { MaxDegreeOfParallelism = 2 };

    private static double Threshold(PretextLabellingResult result) =>
        ((EnergyVariationLabeller)result.Labellers["energy-variation"]).Threshold;

    private Manifest Corpus(string name, (string Id, string Split, float[] Samples)[] clips)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(folder, "audio"));
        var entries = new List<ManifestEntry>();
        foreach (var (id, split, samples) in clips)
        {
            using (var stream = File.Create(Path.Combine(folder, "audio", id + ".wav")))
            {
                PcmWavWriter.Write(stream, samples, PretextTestClips.SampleRate);
            }
            entries.Add(new ManifestEntry { Id = id, AudioPath = $"audio/{id}.wav", Speaker = "spk", Split = split });
        }
        var manifest = new Manifest(new ManifestMetadata(name, ManifestMetadata.LabelledKind, ".."), folder, entries);
        manifest.Save(Path.Combine(folder, "manifest"));
        return Manifest.Load(Path.Combine(folder, "manifest"));
    }
}

[Collection(TinyCorpusCollection.Name)]
public sealed class PretextLabellingCorpusTests(TinyCorpusFixture corpus) : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"sernb-labels-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private string PretrainingManifest => Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder);

    [Fact]
    public void LabelsEveryClipOfTheTinyCorpusForEveryRegisteredTask_Deterministically()
    {
        var manifest = Manifest.Load(PretrainingManifest);
        var registry = PretextTaskRegistry.CreateDefault();
        var taskNames = registry.All.Select(t => t.Name).ToList();
        var cache = new FeatureCache(Path.Combine(_scratch, "cache"));
        var progress = new List<PretextLabellingProgress>();

        var first = new PretextLabelling(registry, new FeatureExtractor(cache: cache)) { MaxDegreeOfParallelism = 2 }
            .Run(manifest, taskNames, progress: new InlineProgress(progress.Add));
        var second = new PretextLabelling(registry, new FeatureExtractor(cache: cache)) { MaxDegreeOfParallelism = 1 }
            .Run(manifest, taskNames);

        Assert.Contains("no splits", first.FitScope);
        Assert.Equal(manifest.Entries.Count, first.TrainingClipIds.Count);
        Assert.Contains("energy-variation", taskNames);
        foreach (var task in taskNames)
        {
            var set = first.LabelSets[task];
            Assert.NotEmpty(set.ByClip);
            Assert.Equal(task, set.TaskName);
            Assert.NotEqual("{}", set.LabellerStateJson);
            Assert.Equal(set.LabellerStateJson, second.LabelSets[task].LabellerStateJson);
            foreach (var (clip, labels) in set.ByClip)
            {
                Assert.Equal(labels.ChunkLabels, second.LabelSets[task].ByClip[clip].ChunkLabels);
                Assert.Equal(labels.UtteranceLabel, second.LabelSets[task].ByClip[clip].UtteranceLabel);
            }
        }
        // Synthetic speech has speech in every clip: energy labels for all of them, 11 chunks each.
        var energy = first.LabelSets["energy-variation"];
        Assert.Equal(manifest.Entries.Count, energy.ByClip.Count);
        Assert.All(energy.ByClip.Values, l => Assert.Equal(11, l.ChunkLabels!.Length));
        Assert.Contains(progress, p => p.Stage == "measure" && p.Completed == manifest.Entries.Count);
        Assert.True(cache.Statistics.Hits >= manifest.Entries.Count, "the second run reads every clip's features from the cache");

        // Cross-task agreement between the tasks with class labels (not the regression and clustering tasks): chunk level
        // only for the two low/high chunk tasks, clip level for every pair.
        var agreement = LabelReport.Agreement(first);
        var classified = taskNames.Count(t => first.LabelSets[t].Kind == LabelKind.Classification);
        Assert.Equal(taskNames.Count - 2, classified);
        var pairs = classified * (classified - 1) / 2;
        var chunkPairs = agreement.GetColumn<string>("Level").Values.Count(l => l == "chunk");
        Assert.Equal(pairs + chunkPairs, agreement.RowCount);
        Assert.All(agreement.GetColumn<int>("Items").Values, n => Assert.True(n > 0));
    }

    [Fact]
    public void UnreadableClipsAreReportedAndSkippedWithoutStoppingTheRun()
    {
        // A copy of the manifest with a truncated WAV and a missing WAV added.
        var original = Manifest.Load(PretrainingManifest);
        var goodAudio = original.Resolve(original.Entries[0].AudioPath);
        var truncated = Path.Combine(original.DataRoot, "audio", "broken-truncated.wav");
        File.WriteAllBytes(truncated, File.ReadAllBytes(goodAudio).AsSpan(0, 30).ToArray());
        try
        {
            var entries = original.Entries.Concat(
            [
                original.Entries[0] with { Id = "broken-truncated", AudioPath = "audio/broken-truncated.wav", VideoPath = null },
                original.Entries[1] with { Id = "broken-missing", AudioPath = "audio/does-not-exist.wav", VideoPath = null },
            ]).ToList();
            var manifest = new Manifest(original.Metadata, original.DataRoot, entries);

            var result = new PretextLabelling(PretextTaskRegistry.CreateDefault(), new FeatureExtractor()) { MaxDegreeOfParallelism = 2 }
                .Run(manifest, ["energy-variation"]);

            var skipped = result.Skipped.Where(s => s.TaskName == "energy-variation").ToList();
            Assert.Equal(["broken-truncated", "broken-missing"], skipped.Select(s => s.ClipId));
            Assert.All(skipped, s => Assert.Equal("audio unusable", s.Category));
            Assert.Contains("broken-truncated.wav", skipped[0].Reason);
            Assert.Contains("does-not-exist.wav", skipped[1].Reason);
            Assert.Equal(original.Entries.Count, result.LabelSets["energy-variation"].ByClip.Count);

            var reasons = LabelReport.SkipReasons(result);
            Assert.Equal(1, reasons.RowCount);
            Assert.Equal(2, reasons.GetColumn<int>("Clips").GetAt(0));
        }
        finally
        {
            File.Delete(truncated);
        }
    }

    [Fact]
    public void ReportFramesHaveOneRowPerTaskClassAndReferenceValue()
    {
        var manifest = Manifest.Load(PretrainingManifest);
        var result = new PretextLabelling(PretextTaskRegistry.CreateDefault(), new FeatureExtractor()) { MaxDegreeOfParallelism = 2 }
            .Run(manifest, ["energy-variation"]);

        var distribution = LabelReport.Distribution(result);
        Assert.Equal(["Task", "Unit", "Class", "Count", "Share"], distribution.ColumnKeys);
        Assert.Equal(2, distribution.RowCount);
        var counts = distribution.GetColumn<int>("Count").Values.ToArray();
        Assert.Equal(manifest.Entries.Count * 11, counts.Sum());
        // Median threshold: as many high chunks as low ones, up to ties at the median.
        Assert.InRange(Math.Abs(counts[0] - counts[1]), 0, 2);

        var coverage = LabelReport.Coverage(result);
        Assert.Equal(1, coverage.RowCount);
        Assert.Equal(1.0, coverage.GetColumn<double>("Coverage").GetAt(0));

        Assert.Equal("latent_emotion", LabelReport.FindReferenceColumn(result));
        var versus = LabelReport.VersusReference(result);
        Assert.Equal(["clip", "chunk"], versus.GetColumn<string>("Level").Values);
        Assert.All(versus.GetColumn<double>("Nmi").Values, v => Assert.InRange(v, 0, 1));

        var emotions = manifest.Entries.Select(e => e.Extras["latent_emotion"]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var table = LabelReport.ReferenceContingency(result, "energy-variation", "latent_emotion", "chunk");
        Assert.Equal(emotions, table.RowKeys);
        Assert.Equal(["low", "high"], table.ColumnKeys);
        var total = table.ColumnKeys.Sum(c => table.GetColumn<long>(c).Values.Sum());
        Assert.Equal(counts.Sum(), total);

        var labels = LabelReport.Labels(result, "energy-variation");
        Assert.Equal(manifest.Entries.Count * 11, labels.RowCount);

        // One task: no pairs to compare.
        Assert.Equal(0, LabelReport.Agreement(result).RowCount);
    }

    [Fact]
    public void AsALabelSourceItLabelsSeveralManifestsWithThresholdsFromTheRequestedTrainingClips()
    {
        var pretraining = Manifest.Load(PretrainingManifest);
        var crema = Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder));
        var extractor = new FeatureExtractor();
        IPretextLabelSource source = new PretextLabelling(PretextTaskRegistry.CreateDefault(), extractor) { MaxDegreeOfParallelism = 2 };
        var training = pretraining.Entries.Select(e => e.Id).ToHashSet();

        var sets = source.GetLabelSets(new PretextLabelRequest([pretraining, crema], ["energy-variation"], training, new ChunkingConfig(), extractor));

        var set = Assert.Single(sets);
        Assert.Equal(pretraining.Entries.Count + crema.Entries.Count, set.ByClip.Count);
        // Fitted on the pre-training clips only: the same threshold as labelling that corpus alone.
        var alone = new PretextLabelling(PretextTaskRegistry.CreateDefault(), extractor) { MaxDegreeOfParallelism = 2 }.Run(pretraining, ["energy-variation"]);
        Assert.Equal(alone.LabelSets["energy-variation"].LabellerStateJson, set.LabellerStateJson);

        Assert.Throws<ArgumentException>(() => source.GetLabelSets(new PretextLabelRequest([pretraining], ["energy-variation"], training,
            new ChunkingConfig { ChunkCount = 5 }, extractor)));
    }

    private sealed class InlineProgress(Action<PretextLabellingProgress> report) : IProgress<PretextLabellingProgress>
    {
        private readonly Lock _gate = new();

        public void Report(PretextLabellingProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
