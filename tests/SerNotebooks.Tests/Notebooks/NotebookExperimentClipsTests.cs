using SerNotebooks.Notebooks;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.AuEmotion;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Tests.Demo;

namespace SerNotebooks.Tests.Notebooks;

[Collection(TinyCorpusCollection.Name)]
public sealed class NotebookExperimentClipsTests(TinyCorpusFixture corpus) : IDisposable
{
    private readonly string _runs = TinyCorpusFixture.NewTemporaryFolder();

    public void Dispose()
    {
        if (Directory.Exists(_runs))
        {
            Directory.Delete(_runs, recursive: true);
        }
    }

    private NotebookExperiment Open() => NotebookExperiment.Open(corpus.Root, "tiny", seeds: 1, runs: _runs, log: _ => { });

    [Fact]
    public void PretrainingClipIsBuiltWithTheProfilesChunksAndItsFacePaths()
    {
        var experiment = Open();
        var entry = experiment.PretrainingManifest.Entries.First(e => e.VideoPath is not null);

        var clip = experiment.PretrainingClip(entry.Id);

        Assert.Equal(entry.Id, clip.Id);
        Assert.Equal(experiment.Profile.Chunking.ChunkCount, clip.Chunks.Chunks.Count);
        Assert.True(File.Exists(clip.OpenFacePath));
        Assert.True(File.Exists(clip.VideoPath));
        Assert.True(File.Exists(clip.AudioPath));
        var error = Assert.Throws<KeyNotFoundException>(() => experiment.PretrainingClip("no-such-clip"));
        Assert.Contains("no-such-clip", error.Message);
    }

    [Fact]
    public void ExampleClipOfTheEnergyTaskHasAHighAndALowChunk()
    {
        var experiment = Open();
        var labels = experiment.LabelPretrainingCorpus(EnergyVariationTask.TaskName);

        var clip = experiment.ExampleClip(labels, EnergyVariationTask.TaskName);

        var chunkLabels = labels.LabelSets[EnergyVariationTask.TaskName].ByClip[clip.Id].ChunkLabels!;
        Assert.Contains(0, chunkLabels);
        Assert.Contains(1, chunkLabels);
        // The chart recomputes the labels from the clip: they must be the ones the corpus run gave.
        var task = (EnergyVariationTask)experiment.Task(EnergyVariationTask.TaskName);
        Assert.Equal(chunkLabels, labels.Labellers[EnergyVariationTask.TaskName].Label(task.Measure(clip)).ChunkLabels);
        Assert.IsType<AuEmotionTask>(experiment.Task(AuEmotionTask.TaskName));
    }
}
