using SerNotebooks.Data;
using SerNotebooks.Demo;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.Controls;
using SerNotebooks.Tests.Demo;

namespace SerNotebooks.Tests.Pretext;

/// <summary>The controls: oracle-emotion (positive) and shuffled-&lt;task&gt; (negative), registered beside the paper's tasks.</summary>
[Collection(TinyCorpusCollection.Name)]
public sealed class ControlTaskTests(TinyCorpusFixture corpus)
{
    private Manifest Pretraining => Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder));

    private static PretextLabellingResult Label(Manifest manifest, params string[] tasks) =>
        new PretextLabelling(PretextTaskRegistry.CreateDefault(), new FeatureExtractor(), new ChunkingConfig { ChunkFrames = 40, ChunkCount = 4 }) { MaxDegreeOfParallelism = 2 }
            .Run(manifest, tasks);

    [Fact]
    public void ControlsAreRegisteredButAreNotAmongThePaperTasks()
    {
        var registry = PretextTaskRegistry.CreateDefault();
        Assert.Equal(["energy-variation", "facial-activation", "au-emotion"], registry.PretextTasks.Select(t => t.Name));
        Assert.Equal(["oracle-emotion", "shuffled-energy-variation", "shuffled-facial-activation", "shuffled-au-emotion"],
            registry.All.OfType<IControlTask>().Select(t => t.Name));
        Assert.All(registry.All.OfType<IControlTask>(), t => Assert.Contains("control", t.ControlRole));
    }

    [Fact]
    public void OracleEmotionLabelsEveryClipWithItsHiddenEmotion()
    {
        var manifest = Pretraining;

        var labels = Label(manifest, OracleEmotionTask.TaskName).LabelSets[OracleEmotionTask.TaskName];

        Assert.Equal(manifest.Entries.Count, labels.ByClip.Count);
        Assert.All(manifest.Entries, e =>
            Assert.Equal(e.Extras[OracleEmotionTask.LatentColumn], labels.Classes[labels.ByClip[e.Id].UtteranceLabel]));
    }

    [Fact]
    public void OracleEmotionIsRefusedOnACorpusWithoutTheHiddenEmotionSayingWhy()
    {
        var manifest = Pretraining;
        var real = new Manifest(manifest.Metadata, manifest.DataRoot,
            manifest.Entries.Select(e => e with { Extras = e.Extras.Where(x => !x.Key.StartsWith("latent_", StringComparison.Ordinal)).ToDictionary() }).ToList());

        var error = Assert.Throws<ArgumentException>(() => Label(real, "energy-variation", OracleEmotionTask.TaskName));

        Assert.Contains("latent_emotion", error.Message);
        Assert.Contains("a real unlabelled corpus has no emotion labels", error.Message);
    }

    [Theory]
    [InlineData("energy-variation")]
    [InlineData("au-emotion")]
    public void AShuffledTaskKeepsTheLabelDistributionButMovesLabelsBetweenClips(string task)
    {
        var result = Label(Pretraining, task, ShuffledTask.Prefix + task);
        var original = result.LabelSets[task].ByClip;
        var shuffled = result.LabelSets[ShuffledTask.Prefix + task].ByClip;
        static string Key(ClipTaskLabels l) => l.ChunkLabels is null ? l.UtteranceLabel.ToString() : string.Join(',', l.ChunkLabels);

        Assert.Equal(original.Keys.Order(), shuffled.Keys.Order());
        // A permutation of the clips' labels: the same multiset of label sequences ...
        Assert.Equal(original.Values.Select(Key).Order(), shuffled.Values.Select(Key).Order());
        // ... but not the clips' own labels.
        var moved = original.Keys.Count(id => Key(original[id]) != Key(shuffled[id]));
        Assert.True(moved >= original.Count / 3, $"only {moved} of {original.Count} clips got another clip's labels");

        var again = Label(Pretraining, ShuffledTask.Prefix + task).LabelSets[ShuffledTask.Prefix + task].ByClip;
        Assert.All(shuffled, pair => Assert.Equal(Key(pair.Value), Key(again[pair.Key])));
    }
}
